/** `berth compose logs`: the services' logs, prefixed and aligned (coloured on a terminal). */
import { containerInspect } from '../../../client/containers.ts';
import { LogPrinter, logName, streamContainerLog } from '../../../compose/logs.ts';
import { isOneoff, nameOf, projectContainers, serviceOf } from '../../../compose/state.ts';
import { toApiTimestamp } from '../../opts/timestamp.ts';
import type { ComposeCommandSpec } from './index.ts';
import { projectNameOnly } from './session.ts';

export const command: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: 'View output from containers',
  flags: [
    { long: 'follow', short: 'f', type: 'bool', usage: 'Follow log output' },
    { long: 'index', type: 'int', usage: 'index of the container if service has multiple replicas' },
    { long: 'no-color', type: 'bool', usage: 'Produce monochrome output' },
    { long: 'no-log-prefix', type: 'bool', usage: "Don't print prefix in logs" },
    { long: 'since', type: 'string', usage: 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)' },
    { long: 'tail', short: 'n', type: 'string', usage: 'Number of lines to show from the end of the logs for each container', def: 'all' },
    { long: 'timestamps', short: 't', type: 'bool', usage: 'Show timestamps' },
    { long: 'until', type: 'string', usage: 'Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)' },
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
