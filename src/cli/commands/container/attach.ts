/** `berth attach`: hijack the running container's stdio; exit with its code unless detached. */
import type { CommandSpec } from '../../command.ts';
import { containerAttach, containerInspect, containerKill, containerResize, containerWait } from '../../../client/containers.ts';
import { clientDetachKeys } from '../../streams/detach-keys.ts';
import { monitorTtySize, proxySignals, streamAttach } from '../../streams/attach-io.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER',
  short: "Connect this terminal's input and output to a running container",
  aliases: ['container attach', 'attach'],
  args: { exact: 1 },
  flags: [
    { long: 'detach-keys', type: 'string', usage: 'Keys that detach from the container (instead of the usual ones)' },
    { long: 'no-stdin', type: 'bool', usage: 'Leave standard input unconnected' },
    { long: 'sig-proxy', type: 'bool', usage: 'Pass signals this command receives on to the container', def: true },
  ],
  async run({ cli, flags, args }) {
    const api = cli.api();
    const c = await containerInspect(api, args[0] ?? '');
    if (!c.State.Running) throw new Error('You cannot attach to a stopped container, start it first');
    if (c.State.Paused) throw new Error('You cannot attach to a paused container, unpause it first');
    const tty = c.Config.Tty;
    const withStdin = !flags.bool('no-stdin') && c.Config.OpenStdin;
    if (withStdin && tty && !cli.streams.stdin.isTTY) throw new Error('the input device is not a TTY');
    const keysText = flags.str('detach-keys') || cli.config.detachKeys || '';
    const status = containerWait(api, c.Id, 'not-running');
    const conn = await containerAttach(api, c.Id, { stream: true, stdin: withStdin, stdout: true, stderr: true, detachKeys: keysText || undefined });
    const stopProxy = flags.bool('sig-proxy') && !tty ? proxySignals((s) => containerKill(api, c.Id, s)) : () => undefined;
    const session = streamAttach({ conn, tty, stdin: withStdin ? cli.streams.stdin : undefined, stdout: cli.out, stderr: tty ? cli.out : cli.err, detachKeys: clientDetachKeys(keysText) });
    const stopResize = tty ? monitorTtySize(cli.out, (h, w) => containerResize(api, c.Id, h, w)) : () => undefined;
    try {
      if ((await session.done) === 'detached') return 0;
      return (await status).StatusCode;
    } finally {
      stopResize();
      stopProxy();
    }
  },
};
