/** `berth start [-a -i]`: start containers; with -a, attach first and exit with the container's code. */
import type { CommandSpec } from '../../command.ts';
import { MultiError } from '../../errors.ts';
import { containerAttach, containerInspect, containerResize, containerStart, containerWait } from '../../../client/containers.ts';
import { clientDetachKeys } from '../../streams/detach-keys.ts';
import { monitorTtySize, streamAttach } from '../../streams/attach-io.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Start containers that are not running',
  aliases: ['container start', 'start'],
  args: { min: 1 },
  flags: [
    { long: 'attach', short: 'a', type: 'bool', usage: 'Connect to the output and pass signals on' },
    { long: 'detach-keys', type: 'string', usage: 'Keys that detach from the container (instead of the usual ones)' },
    { long: 'interactive', short: 'i', type: 'bool', usage: "Connect this terminal's input to the container" },
  ],
  async run({ cli, flags, args }) {
    const api = cli.api();
    if (!flags.bool('attach') && !flags.bool('interactive')) {
      // docker start ends a failure list with the names that failed.
      const failed: string[] = [];
      const errors: unknown[] = [];
      for (const name of args) {
        try {
          await containerStart(api, name);
          cli.out.write(`${name}\n`);
        } catch (err) {
          errors.push(err);
          failed.push(name);
        }
      }
      if (errors.length) throw new MultiError([...errors, new Error(`Error: failed to start containers: ${failed.join(', ')}`)]);
      return;
    }
    if (args.length > 1) throw new Error('you cannot start and attach multiple containers at once');
    const name = args[0] ?? '';
    const c = await containerInspect(api, name);
    const tty = c.Config.Tty;
    const withStdin = flags.bool('interactive') && c.Config.OpenStdin;
    const keysText = flags.str('detach-keys') || cli.config.detachKeys || '';
    const conn = await containerAttach(api, c.Id, { stream: true, stdin: withStdin, stdout: true, stderr: true, detachKeys: keysText || undefined });
    const session = streamAttach({ conn, tty, stdin: withStdin ? cli.streams.stdin : undefined, stdout: cli.out, stderr: tty ? cli.out : cli.err, detachKeys: clientDetachKeys(keysText) });
    const status = containerWait(api, c.Id, 'next-exit');
    await containerStart(api, c.Id);
    const stop = tty ? monitorTtySize(cli.out, (h, w) => containerResize(api, c.Id, h, w)) : () => undefined;
    try {
      if ((await session.done) === 'detached') return 0;
      return (await status).StatusCode;
    } finally {
      stop();
    }
  },
};
