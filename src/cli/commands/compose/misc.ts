/** `berth compose top`, `port`, `images`, `ls`, `version`: read-only views of the project, as Compose v2 prints them. */
import { containerInspect, containerList, containerTop, containerWait } from '../../../client/containers.ts';
import { readJsonLines } from '../../../client/json-stream.ts';
import { systemEvents } from '../../../client/system.ts';
import { imageInspect } from '../../../client/images.ts';
import { StatusError } from '../../errors.ts';
import { alignTable } from '../../format/list-format.ts';
import { COMPOSE_VERSION, CONFIG_FILES_LABEL, PROJECT_LABEL } from '../../../compose/labels.ts';
import { nameOf, numberOf, projectContainers, serviceOf } from '../../../compose/state.ts';
import type { ComposeCommandSpec } from './index.ts';
import { projectNameOnly } from './session.ts';

export const top: ComposeCommandSpec = {
  usage: '[SERVICES...]',
  short: 'List the processes in service containers',
  flags: [],
  async run({ cli, args, compose }) {
    const project = projectNameOnly(cli, compose)!;
    const api = cli.api();
    const list = (await projectContainers(api, project.name)).filter((c) => c.State === 'running' && (args.length === 0 || args.includes(serviceOf(c))));
    for (const c of list) {
      const t = await containerTop(api, c.Id);
      cli.out.write(`${nameOf(c)}\n${alignTable([t.Titles.join('\t'), ...t.Processes.map((p) => p.join('\t'))].join('\n') + '\n')}\n`);
    }
  },
};

export const port: ComposeCommandSpec = {
  usage: '[OPTIONS] SERVICE PRIVATE_PORT',
  short: 'Print the host address a service port is published on',
  flags: [
    { long: 'index', type: 'int', usage: 'Which replica, when the service has several', def: 0 },
    { long: 'protocol', type: 'string', usage: 'Protocol: tcp or udp', def: 'tcp' },
  ],
  async run({ cli, flags, args, compose }) {
    const [service = '', priv = ''] = args;
    if (!service || !priv) throw new StatusError('"port" requires exactly 2 arguments.', 1);
    const project = projectNameOnly(cli, compose)!;
    const api = cli.api();
    const index = flags.int('index') || 1;
    const c = (await projectContainers(api, project.name)).find((x) => serviceOf(x) === service && numberOf(x) === index);
    if (!c) throw new StatusError(`service "${service}" is not running`, 1);
    const info = await containerInspect(api, c.Id);
    const bindings = info.NetworkSettings?.Ports?.[`${priv}/${flags.str('protocol')}`] ?? [];
    const b = bindings?.[0];
    if (!b) throw new StatusError(`no port ${priv}/${flags.str('protocol')} for container ${nameOf(c)}`, 1);
    cli.out.write(`${b.HostIp || '0.0.0.0'}:${b.HostPort}\n`);
  },
};

export const images: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: "Show the images the project's containers use",
  flags: [
    { long: 'format', type: 'string', usage: 'Output format: table or json', def: 'table' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print container IDs only' },
  ],
  async run({ cli, flags, args, compose }) {
    const project = projectNameOnly(cli, compose)!;
    const api = cli.api();
    const list = (await projectContainers(api, project.name)).filter((c) => args.length === 0 || args.includes(serviceOf(c)));
    const rows: string[] = [];
    const json: object[] = [];
    for (const c of list) {
      const img = await imageInspect(api, c.ImageID);
      const tags = (img['RepoTags'] as string[] | null) ?? [];
      const [repo, tag] = tags[0] ? [tags[0].slice(0, tags[0].lastIndexOf(':')), tags[0].slice(tags[0].lastIndexOf(':') + 1)] : ['<none>', '<none>'];
      const id = String(img['Id']).replace('sha256:', '').slice(0, 12);
      const size = Number(img['Size'] ?? 0);
      if (flags.bool('quiet')) rows.push(id);
      else rows.push([nameOf(c), repo, tag, id, humanBytes(size)].join('\t'));
      json.push({ ID: img['Id'], ContainerName: nameOf(c), Repository: repo, Tag: tag, Size: size });
    }
    if (flags.str('format') === 'json') return void cli.out.write(`${JSON.stringify(json)}\n`);
    if (flags.bool('quiet')) return void cli.out.write(rows.map((r) => `${r}\n`).join(''));
    cli.out.write(alignTable(['CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE', ...rows].join('\n') + '\n'));
  },
};

function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

export const ls: ComposeCommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show Compose projects',
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Include stopped projects too' },
    { long: 'format', type: 'string', usage: 'Output format: table or json', def: 'table' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print project names only' },
  ],
  async run({ cli, flags }) {
    const list = await containerList(cli.api(), { all: flags.bool('all'), filters: JSON.stringify({ label: [PROJECT_LABEL] }) });
    const projects = new Map<string, { states: Map<string, number>; files: Set<string> }>();
    for (const c of list) {
      const name = c.Labels?.[PROJECT_LABEL] ?? '';
      const p = projects.get(name) ?? { states: new Map(), files: new Set() };
      p.states.set(c.State, (p.states.get(c.State) ?? 0) + 1);
      if (c.Labels?.[CONFIG_FILES_LABEL]) p.files.add(c.Labels[CONFIG_FILES_LABEL]);
      projects.set(name, p);
    }
    const names = [...projects.keys()].sort();
    const status = (p: { states: Map<string, number> }) => [...p.states].map(([s, n]) => `${s}(${n})`).join(', ');
    if (flags.bool('quiet')) return void cli.out.write(names.map((n) => `${n}\n`).join(''));
    if (flags.str('format') === 'json') return void cli.out.write(`${JSON.stringify(names.map((n) => ({ Name: n, Status: status(projects.get(n)!), ConfigFiles: [...projects.get(n)!.files].join(',') })))}\n`);
    cli.out.write(alignTable(['NAME\tSTATUS\tCONFIG FILES', ...names.map((n) => `${n}\t${status(projects.get(n)!)}\t${[...projects.get(n)!.files].join(',')}`)].join('\n') + '\n'));
  },
};

export const version: ComposeCommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show the Compose version',
  flags: [
    { long: 'format', short: 'f', type: 'string', usage: 'Output format: pretty (the default) or json' },
    { long: 'short', type: 'bool', usage: 'Print just the version number' },
  ],
  async run({ cli, flags }) {
    if (flags.bool('short')) return void cli.out.write(`${COMPOSE_VERSION}\n`);
    if (flags.str('format') === 'json') return void cli.out.write(`${JSON.stringify({ version: `v${COMPOSE_VERSION}` })}\n`);
    cli.out.write(`Docker Compose version v${COMPOSE_VERSION}\n`);
  },
};

/** `compose wait SERVICE...`: block until the services' containers stop; print and exit with the first exit code. */
export const wait: ComposeCommandSpec = {
  usage: 'SERVICE [SERVICE...] [OPTIONS]',
  short: "Wait until the services' containers stop",
  args: { min: 1 },
  flags: [{ long: 'down-project', type: 'bool', usage: 'Stop the whole project once any container stops' }],
  async run({ cli, args, compose }) {
    const project = projectNameOnly(cli, compose)!;
    const api = cli.api();
    const list = (await projectContainers(api, project.name)).filter((c) => args.includes(serviceOf(c)));
    if (list.length === 0) throw new StatusError(`no containers for project "${project.name}"`, 1);
    const code = await Promise.race(list.map((c) => containerWait(api, c.Id, 'not-running').then((r) => r.StatusCode)));
    cli.out.write(`${code}\n`);
    return code;
  },
};

/** `compose events [--json] [SERVICE...]`: the engine's container events of the project, as Compose prints them. */
export const events: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: "Follow the project's container events as they happen",
  flags: [{ long: 'json', type: 'bool', usage: 'Print each event as a JSON object' }],
  async run({ cli, flags, args, compose }) {
    const project = projectNameOnly(cli, compose)!;
    const res = await systemEvents(cli.api(), { filters: JSON.stringify({ label: [`${PROJECT_LABEL}=${project.name}`], type: ['container'] }) });
    for await (const e of readJsonLines<{ Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; timeNano: number }>(res)) {
      const attrs = { ...e.Actor.Attributes };
      const service = attrs['com.docker.compose.service'] ?? '';
      if (args.length && !args.includes(service)) continue;
      for (const k of Object.keys(attrs)) if (k.startsWith('com.docker.compose.')) delete attrs[k];
      const time = new Date(Math.floor(e.timeNano / 1e6)).toISOString();
      if (flags.bool('json')) {
        cli.out.write(`${JSON.stringify({ action: e.Action, attributes: attrs, id: e.Actor.ID, service, time, type: e.Type })}\n`);
      } else {
        const a = Object.keys(attrs).sort().map((k) => `${k}=${attrs[k]}`).join(', ');
        cli.out.write(`${time.replace('T', ' ').replace('Z', '')} ${e.Type} ${e.Action} ${e.Actor.ID} (${a})\n`);
      }
    }
  },
};
