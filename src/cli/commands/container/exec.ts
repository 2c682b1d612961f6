/** `berth exec`: create an exec, run it attached (hijacked) or detached, exit with its code. */
import { readFileSync } from 'node:fs';
import type { CommandSpec } from '../../command.ts';
import { execCreate, execInspect, execResize, execStartAttached, execStartDetached } from '../../../client/exec.ts';
import { parseKeyValueFile, resolveEnv } from '../../opts/specs.ts';
import { clientDetachKeys } from '../../streams/detach-keys.ts';
import { monitorTtySize, streamAttach } from '../../streams/attach-io.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Run a command inside a running container',
  aliases: ['container exec', 'exec'],
  args: { min: 2 },
  interspersed: false,
  flags: [
    { long: 'detach', short: 'd', type: 'bool', usage: 'Start the command in the background and return' },
    { long: 'detach-keys', type: 'string', usage: 'Keys that detach from the container (instead of the usual ones)' },
    { long: 'env', short: 'e', type: 'list', usage: 'Set an environment variable (NAME=VALUE)' },
    { long: 'env-file', type: 'list', usage: 'Load environment variables from a file' },
    { long: 'interactive', short: 'i', type: 'bool', usage: 'Keep standard input open, attached or not' },
    { long: 'privileged', type: 'bool', usage: 'Run the command with all privileges' },
    { long: 'tty', short: 't', type: 'bool', usage: 'Give the process a terminal (pseudo-TTY)' },
    { long: 'user', short: 'u', type: 'string', usage: 'User to run as, by name or id ("<name|uid>[:<group|gid>]")' },
    { long: 'workdir', short: 'w', type: 'string', usage: 'Directory to start the process in, inside the container' },
  ],
  async run({ cli, flags, args }) {
    const [container = '', ...cmd] = args;
    const api = cli.api();
    const tty = flags.bool('tty');
    const interactive = flags.bool('interactive');
    const detach = flags.bool('detach');
    const stdin = cli.streams.stdin;
    if (!detach && tty && interactive && !stdin.isTTY) throw new Error('the input device is not a TTY');
    const env: string[] = [];
    for (const f of flags.list('env-file')) env.push(...parseKeyValueFile(f, readFileSync(f, 'utf8'), cli.env, true));
    for (const e of flags.list('env')) env.push(resolveEnv(e, cli.env));
    const keysText = flags.str('detach-keys') || cli.config.detachKeys || '';
    const size: [number, number] | undefined = tty && cli.out.isTTY ? [cli.out.getWindowSize()[1], cli.out.getWindowSize()[0]] : undefined;
    const { Id: id } = await execCreate(api, container, {
      AttachStdin: interactive && !detach,
      AttachStdout: !detach,
      AttachStderr: !detach,
      DetachKeys: keysText || undefined,
      Tty: tty,
      Env: env.length ? env : undefined,
      Cmd: cmd,
      Privileged: flags.bool('privileged'),
      User: flags.str('user') || undefined,
      WorkingDir: flags.str('workdir') || undefined,
      ConsoleSize: size,
    });
    if (detach) {
      await execStartDetached(api, id, tty);
      return 0;
    }
    const conn = await execStartAttached(api, id, tty);
    const session = streamAttach({ conn, tty, stdin: interactive ? stdin : undefined, stdout: cli.out, stderr: tty ? cli.out : cli.err, detachKeys: clientDetachKeys(keysText) });
    const stop = tty ? monitorTtySize(cli.out, (h, w) => execResize(api, id, h, w)) : () => undefined;
    try {
      if ((await session.done) === 'detached') return 0;
    } finally {
      stop();
    }
    const info = await execInspect(api, id);
    return info.ExitCode ?? 0;
  },
};
