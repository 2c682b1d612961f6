/**
 * `berth run`: create, attach (hijacked, before start so no output is lost),
 * wait (registered before start to catch fast exits), start, stream, and exit
 * with the container's code, as docker's runContainer does.
 */
import { readFileSync } from 'node:fs';
import type { CommandSpec } from '../../command.ts';
import { RUN_FLAGS } from '../../opts/container-flags.ts';
import { toCreateBody } from '../../opts/container-config.ts';
import { StatusError, runStatusError, withHelp, describeError } from '../../errors.ts';
import { containerAttach, containerKill, containerResize, containerStart, containerWait } from '../../../client/containers.ts';
import { checkDaemonPlatform, createContainer } from './create-container.ts';
import { clientDetachKeys } from '../../streams/detach-keys.ts';
import { monitorTtySize, proxySignals, streamAttach } from '../../streams/attach-io.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Start an image as a new container',
  aliases: ['container run', 'run'],
  args: { min: 1 },
  interspersed: false,
  flags: RUN_FLAGS,
  async run({ cli, flags, args }) {
    const [image = '', ...cmd] = args;
    const pull = flags.str('pull');
    if (!['always', 'missing', 'never'].includes(pull)) {
      throw new StatusError(withHelp(cli.bin, `invalid pull option: '${pull}': must be one of "always", "missing" or "never"`, 'run'), 125);
    }
    const detach = flags.bool('detach');
    let body: Record<string, unknown>;
    try {
      body = toCreateBody(flags, { image, args: cmd, env: cli.env, readFile: (p) => readFileSync(p, 'utf8'), detach });
    } catch (err) {
      throw new StatusError(withHelp(cli.bin, describeError(err), 'run'), 125);
    }
    const tty = body['Tty'] === true;
    const attachStdin = body['AttachStdin'] === true;
    if (tty && !detach && cli.out.isTTY) {
      // As docker does (API 1.42+): the terminal's size goes into create, so the
      // process starts with it instead of racing the first resize call.
      const [w, h] = cli.out.getWindowSize();
      body['HostConfig'] = { ...((body['HostConfig'] as Record<string, unknown> | undefined) ?? {}), ConsoleSize: [h, w] };
    }
    // Touched only when attached: creating the stdin stream costs start-up time.
    if (!detach && tty && attachStdin && !cli.streams.stdin.isTTY) throw new Error('the input device is not a TTY');
    const keysText = flags.str('detach-keys') || cli.config.detachKeys || '';
    const detachKeys = clientDetachKeys(keysText);

    await checkDaemonPlatform(cli, body);
    const api = cli.api();
    let id: string;
    try {
      id = await createContainer(cli, body, { name: flags.str('name'), platform: flags.str('platform'), pull, cidfile: flags.str('cidfile'), image, quiet: flags.bool('quiet') });
    } catch (err) {
      throw runStatusError(cli.bin, err);
    }
    const stopProxy = flags.bool('sig-proxy') && !tty ? proxySignals((sig) => containerKill(api, id, sig)) : () => undefined;
    try {
      const attach = body['AttachStdin'] === true || body['AttachStdout'] === true || body['AttachStderr'] === true;
      let session: ReturnType<typeof streamAttach> | undefined;
      if (attach) {
        const conn = await containerAttach(api, id, {
          stream: true,
          stdin: attachStdin,
          stdout: body['AttachStdout'] === true,
          stderr: body['AttachStderr'] === true,
          detachKeys: keysText || undefined,
        });
        session = streamAttach({
          conn,
          tty,
          stdin: attachStdin ? cli.streams.stdin : undefined,
          stdout: body['AttachStdout'] === true ? cli.out : undefined,
          stderr: body['AttachStderr'] === true ? (tty ? cli.out : cli.err) : undefined,
          detachKeys,
        });
      }
      const autoRemove = flags.bool('rm');
      const status = containerWait(api, id, autoRemove ? 'removed' : 'next-exit').then(
        (r) => {
          if (r.Error?.Message) {
            cli.err.write(`Error waiting for container: ${r.Error.Message}\n`);
            return 125;
          }
          return r.StatusCode;
        },
        (err: unknown) => {
          cli.err.write(`Error waiting for container: ${describeError(err)}\n`);
          return 125;
        },
      );
      try {
        await containerStart(api, id);
      } catch (err) {
        session?.close();
        if (session) await session.done;
        if (autoRemove) await status;
        throw runStatusError(cli.bin, err);
      }
      if (!session) {
        cli.out.write(`${id}\n`);
        return 0;
      }
      const stopResize = tty ? monitorTtySize(cli.out, (h, w) => containerResize(api, id, h, w)) : () => undefined;
      try {
        const first = await Promise.race([session.done.then((how) => ({ how })), status.then((code) => ({ code }))]);
        if ('how' in first) {
          if (first.how === 'detached') return 0;
          return await status;
        }
        // Exited: keep streaming until the output is drained (docker waits on errCh too).
        await session.done;
        return first.code;
      } finally {
        stopResize();
      }
    } finally {
      stopProxy();
    }
  },
};
