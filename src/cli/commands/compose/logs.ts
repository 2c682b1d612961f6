/** `berth compose logs`: the services' logs, prefixed and aligned (coloured on a terminal). */
import { containerInspect } from '../../../client/containers.ts';
import { LogPrinter, logName, streamContainerLog } from '../../../compose/logs.ts';
import { isOneoff, nameOf, projectContainers, serviceOf } from '../../../compose/state.ts';
import { toApiTimestamp } from '../../opts/timestamp.ts';
import type { ComposeCommandSpec } from './index.ts';
import { projectNameOnly } from './session.ts';

export const command: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: "Print the services' logs",
  flags: [
    { long: 'follow', short: 'f', type: 'bool', usage: 'Keep printing new log lines as they come' },
    { long: 'index', type: 'int', usage: 'Which replica, when the service has several' },
    { long: 'no-color', type: 'bool', usage: 'Print without colours' },
    { long: 'no-log-prefix', type: 'bool', usage: 'Leave out the service-name prefix' },
    { long: 'since', type: 'string', usage: 'Only lines after this time: a timestamp such as 2024-03-01T10:00:00Z or an age such as 30m' },
    { long: 'tail', short: 'n', type: 'string', usage: 'How many of the last lines to print per container', def: 'all' },
    { long: 'timestamps', short: 't', type: 'bool', usage: 'Prefix each line with its time' },
    { long: 'until', type: 'string', usage: 'Only lines before this time: a timestamp such as 2024-03-01T10:00:00Z or an age such as 30m' },
  ],
  async run({ cli, flags, args, compose }) {
    const project = projectNameOnly(cli, compose)!;
    const api = cli.api();
    const list = (await projectContainers(api, project.name, { oneoff: true })).filter((c) => (args.length === 0 ? !isOneoff(c) : args.includes(serviceOf(c))));
    const color = !flags.bool('no-color') && cli.out.isTTY === true;
    const printer = new LogPrinter(cli.out, { color, noPrefix: flags.bool('no-log-prefix') });
    const targets = await Promise.all(list.map(async (c) => ({ id: c.Id, name: logName(project.name, nameOf(c), c.Labels), tty: (await containerInspect(api, c.Id)).Config.Tty })));
    printer.register(targets.map((t) => t.name));
    const now = new Date();
    await Promise.all(
      targets.map((t) =>
        streamContainerLog(api, t, printer, {
          follow: flags.bool('follow'),
          tail: flags.str('tail'),
          timestamps: flags.bool('timestamps'),
          since: toApiTimestamp(flags.str('since'), now) || undefined,
          until: toApiTimestamp(flags.str('until'), now) || undefined,
          color,
        }),
      ),
    );
  },
};
