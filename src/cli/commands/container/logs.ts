/** `berth logs`: the log stream, demultiplexed to stdout/stderr unless the container has a TTY. */
import type { CommandSpec } from '../../command.ts';
import { containerInspect, containerLogs } from '../../../client/containers.ts';
import { FrameDecoder } from '../../../util/stdcopy.ts';
import { toApiTimestamp } from '../../opts/timestamp.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER',
  short: 'Fetch the logs of a container',
  aliases: ['container logs', 'logs'],
  args: { exact: 1 },
  flags: [
    { long: 'details', type: 'bool', usage: 'Show extra details provided to logs' },
    { long: 'follow', short: 'f', type: 'bool', usage: 'Follow log output' },
    { long: 'since', type: 'string', usage: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { long: 'tail', short: 'n', type: 'string', usage: 'Number of lines to show from the end of the logs', def: 'all' },
    { long: 'timestamps', short: 't', type: 'bool', usage: 'Show timestamps' },
    { long: 'until', type: 'string', usage: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  async run({ cli, flags, args }) {
    const api = cli.api();
    const c = await containerInspect(api, args[0] ?? '');
    const now = new Date();
    const res = await containerLogs(api, c.Id, {
      stdout: true,
      stderr: true,
      follow: flags.bool('follow') || undefined,
      since: toApiTimestamp(flags.str('since'), now) || undefined,
      until: toApiTimestamp(flags.str('until'), now) || undefined,
      timestamps: flags.bool('timestamps') || undefined,
      details: flags.bool('details') || undefined,
      tail: flags.str('tail'),
    });
    if (c.Config.Tty) {
      for await (const chunk of res) cli.out.write(chunk as Buffer);
      return;
    }
    const decoder = new FrameDecoder();
    for await (const chunk of res) for (const f of decoder.push(chunk as Buffer)) (f.stream === 2 ? cli.err : cli.out).write(f.payload);
  },
};
