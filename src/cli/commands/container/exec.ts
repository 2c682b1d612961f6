/** `berth exec`: create an exec, run it attached (hijacked) or detached, exit with its code. */
import { readFileSync } from 'node:fs';
import type { CommandSpec } from '../../command.ts';
import { execCreate, execInspect, execResize, execStartAttached, execStartDetached } from '../../../client/exec.ts';
import { parseKeyValueFile, resolveEnv } from '../../opts/specs.ts';
import { clientDetachKeys } from '../../streams/detach-keys.ts';
import { monitorTtySize, streamAttach } from '../../streams/attach-io.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Execute a command in a running container',
  aliases: ['container exec', 'exec'],
  args: { min: 2 },
  interspersed: false,
  flags: [
    { long: 'detach', short: 'd', type: 'bool', usage: 'Detached mode: run command in the background' },
    { long: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
    { long: 'env', short: 'e', type: 'list', usage: 'Set environment variables' },
    { long: 'env-file', type: 'list', usage: 'Read in a file of environment variables' },
    { long: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
    { long: 'privileged', type: 'bool', usage: 'Give extended privileges to the command' },
    { long: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
    { long: 'user', short: 'u', type: 'string', usage: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { long: 'workdir', short: 'w', type: 'string', usage: 'Working directory inside the container' },
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
