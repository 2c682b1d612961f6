/** `berth logs`: the log stream, demultiplexed to stdout/stderr unless the container has a TTY. */
import type { CommandSpec } from '../../command.ts';
import { containerInspect, containerLogs } from '../../../client/containers.ts';
import { FrameDecoder } from '../../../util/stdcopy.ts';
import { toApiTimestamp } from '../../opts/timestamp.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER',
  short: "Print a container's log",
  aliases: ['container logs', 'logs'],
  args: { exact: 1 },
  flags: [
    { long: 'details', type: 'bool', usage: 'Include the extra attributes the log driver recorded' },
    { long: 'follow', short: 'f', type: 'bool', usage: 'Keep printing new log lines as they come' },
    { long: 'since', type: 'string', usage: 'Only lines after this time: a timestamp such as "2024-03-01T10:00:00Z" or an age such as "30m"' },
    { long: 'tail', short: 'n', type: 'string', usage: 'How many of the last lines to print', def: 'all' },
    { long: 'timestamps', short: 't', type: 'bool', usage: 'Prefix each line with its time' },
    { long: 'until', type: 'string', usage: 'Only lines before this time: a timestamp such as "2024-03-01T10:00:00Z" or an age such as "30m"' },
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
