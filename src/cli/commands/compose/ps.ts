/**
 * `berth compose ps`: the project's containers (running ones, -a all) as
 * Compose v2 lists them: NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS;
 * -q IDs, --services service names, --format json one object a line,
 * --filter status=….
 */
import { StatusError } from '../../errors.ts';
import { containerRow } from '../../format/container-row.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { label, nameOf, projectContainers, serviceOf } from '../../../compose/state.ts';
import { PROJECT_LABEL } from '../../../compose/labels.ts';
import type { ComposeCommandSpec } from './index.ts';
import { projectNameOnly } from './session.ts';

const PS_TABLE = 'table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}';
const HEADER: Record<string, string> = { Name: 'NAME', Image: 'IMAGE', Command: 'COMMAND', Service: 'SERVICE', RunningFor: 'CREATED', Status: 'STATUS', Ports: 'PORTS', ID: 'CONTAINER ID', State: 'STATE', Project: 'PROJECT' };
const STATUSES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

export const command: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: "Show the project's containers",
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Include stopped containers, one-off run containers too' },
    { long: 'filter', type: 'string', usage: 'Only containers matching a condition (status=...)' },
    { long: 'format', type: 'string', usage: "Choose the output layout:\n'table':            a table with a header row (the default)\n'table TEMPLATE':   a table whose columns a Go template gives\n'json':             one JSON object per line\n'TEMPLATE':         each item through a Go template\n(templates follow Go's text/template syntax)", def: 'table' },
    { long: 'no-trunc', type: 'bool', usage: 'Print full values, uncut' },
    { long: 'orphans', type: 'bool', usage: 'Also show containers of services the project no longer defines', def: true },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print container IDs only' },
    { long: 'services', type: 'bool', usage: 'Print service names instead' },
    { long: 'status', type: 'list', typeName: 'stringArray', usage: 'Only containers in this state: paused, restarting, removing, running, dead, created or exited' },
  ],
  async run({ cli, flags, args, compose }) {
    const project = projectNameOnly(cli, compose)!;
    const statuses = [...flags.list('status')];
    const filter = flags.str('filter');
    if (filter) {
      const [k, v] = filter.split('=');
      if (k !== 'status' || v === undefined) throw new StatusError(`unknown filter ${k}`, 1);
      statuses.push(v);
    }
    for (const s of statuses) if (!STATUSES.includes(s)) throw new StatusError(`invalid filter status: ${s}`, 1);
    for (const a of args) if (Object.keys(project.services).length && !project.services[a]) throw new StatusError(`no such service: ${a}`, 1);
    const all = flags.bool('all') || statuses.length > 0;
    let list = await projectContainers(cli.api(), project.name, { oneoff: flags.bool('all') ? true : false, all });
    if (args.length) list = list.filter((c) => args.includes(serviceOf(c)));
    if (statuses.length) list = list.filter((c) => statuses.includes(c.State));
    if (flags.bool('services')) {
      cli.out.write([...new Set(list.map(serviceOf))].map((s) => `${s}\n`).join(''));
      return;
    }
    if (flags.bool('quiet')) {
      cli.out.write(list.map((c) => `${c.Id}\n`).join(''));
      return;
    }
    const now = Date.now();
    const trunc = !flags.bool('no-trunc');
    const rows = list.map((c) => {
      const base = containerRow(c, { trunc, now }) as Record<string, unknown>;
      const row: Record<string, unknown> = {
        ...base,
        Name: nameOf(c),
        Service: serviceOf(c),
        Project: label(c, PROJECT_LABEL),
        ExitCode: /^Exited \((\d+)\)/.exec(c.Status)?.[1] ? Number(/^Exited \((\d+)\)/.exec(c.Status)![1]) : 0,
        Health: /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace('health: ', '') ?? '',
        ID: trunc ? c.Id.slice(0, 12) : c.Id,
      };
      Object.defineProperty(row, 'Label', { enumerable: false, value: (k: string) => c.Labels?.[k] ?? '' });
      return row;
    });
    const format = flags.str('format');
    if (format === 'json') {
      cli.out.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
      return;
    }
    cli.out.write(renderList(parseListFormat(format, false, PS_TABLE), rows, HEADER, 'ContainerSummary'));
  },
};
