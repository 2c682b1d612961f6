/**
 * `berth compose push`, `scale`, `attach` and `stats`, as Docker Compose
 * 2.29 runs them: push sends the images of services that have both `build`
 * and `image` (and their build tags) through POST /images/{name}/push;
 * scale converges and starts the named services at the given replica
 * counts; attach and stats are `berth attach` / `berth stats` on the
 * project's containers.
 */
import { containerList } from '../../../client/containers.ts';
import { imagePush } from '../../../client/images.ts';
import { readJsonLines } from '../../../client/json-stream.ts';
import { NUMBER_LABEL, ONEOFF_LABEL, PROJECT_LABEL, SERVICE_LABEL } from '../../../compose/labels.ts';
import { forAll, numberOf } from '../../../compose/state.ts';
import { up } from '../../../compose/up.ts';
import { StatusError } from '../../errors.ts';
import { parseFlags } from '../../flags.ts';
import { truncateId } from '../../format/reference.ts';
import { familiarNamed, parseNamed } from '../../registry/reference.ts';
import { registryAuthFor } from '../../registry/registry-auth.ts';
import type { ComposeCommandSpec } from './index.ts';
import { composeBuilder, openSession, projectNameOnly } from './session.ts';

export const push: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: 'Upload the images of services to their registries',
  flags: [
    { long: 'ignore-push-failures', type: 'bool', usage: 'Go on with the other images when one fails to push' },
    { long: 'include-deps', type: 'bool', usage: 'Push the images of the services the named ones depend on too' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Show no progress while pushing' },
  ],
  async run({ cli, flags, args, compose }) {
    const { project, env } = openSession(cli, compose, args);
    const names = args.length && !flags.bool('include-deps') ? args : Object.keys(project.services);
    const quiet = flags.bool('quiet');
    const ignore = flags.bool('ignore-push-failures');
    const jobs: { service: string; tag: string }[] = [];
    for (const name of names) {
      const s = project.services[name]!;
      if (!s.build || !s.image) {
        if (!quiet) env.progress.raw(name, 'Skipped', '');
        continue;
      }
      for (const tag of [s.image, ...(s.build.tags ?? [])]) jobs.push({ service: name, tag });
    }
    await forAll(jobs, async ({ service, tag }) => {
      try {
        const ref = parseNamed(tag);
        const res = await imagePush(cli.api(), familiarNamed(ref), ref.tag ?? ref.digest ?? 'latest', registryAuthFor(cli, ref.domain));
        for await (const m of readJsonLines<{ id?: string; status?: string; progress?: string; error?: string; errorDetail?: { message?: string } }>(res)) {
          if (m.error) throw new Error(m.errorDetail?.message ?? m.error);
          // Lines without an ID (the repository, the digest) are not shown; a layer's are.
          if (!m.id || quiet) continue;
          env.progress.raw(`Pushing ${tag}: ${m.id}`, m.status ?? '', m.progress ?? '', false);
        }
      } catch (err) {
        if (!ignore) throw err;
        if (!quiet) env.progress.message(`Pushing ${service}: ${(err as Error).message}`);
      }
    });
  },
};

/** `svc=N` arguments, with Compose's errors. */
export function parseReplicas(args: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of args) {
    const i = a.indexOf('=');
    const key = i < 0 ? '' : a.slice(0, i);
    const val = i < 0 ? '' : a.slice(i + 1);
    if (!key || !val) throw new StatusError(`invalid scale specifier: ${a}`, 1);
    if (!/^[+-]?\d+$/.test(val)) throw new StatusError(`invalid scale specifier: can't parse replica value as int: ${a}`, 1);
    out[key] = Number(val);
  }
  return out;
}

export const scale: ComposeCommandSpec = {
  usage: '[SERVICE=REPLICAS...]',
  short: 'Set the number of containers of services',
  args: { min: 1 },
  flags: [{ long: 'no-deps', type: 'bool', usage: 'Leave the services the named ones depend on alone' }],
  async run({ cli, flags, args, compose }) {
    if (args.length === 0) throw new StatusError('"scale" requires at least 1 argument.', 1);
    const replicas = parseReplicas(args);
    const services = Object.keys(replicas);
    const { project, env } = openSession(cli, compose, services);
    for (const s of services) if (!project.services[s]) throw new StatusError(`no such service: ${s}`, 1);
    await up(env, project, { services: flags.bool('no-deps') ? services : [], scale: replicas, builder: composeBuilder(cli, compose) });
  },
};

export const attach: ComposeCommandSpec = {
  usage: '[OPTIONS] SERVICE',
  short: "Connect the terminal to a running container of a service",
  args: { min: 1 },
  flags: [
    { long: 'detach-keys', type: 'string', usage: 'Keys that detach from the container (instead of the configured ones)' },
    { long: 'index', type: 'int', usage: 'Which replica of the service to attach to', def: 0 },
    { long: 'no-stdin', type: 'bool', usage: 'Leave standard input unconnected' },
    { long: 'sig-proxy', type: 'bool', usage: 'Forward the signals this command receives to the container', def: true },
  ],
  async run(ctx) {
    const { cli, flags, args, compose } = ctx;
    const service = args[0];
    if (!service) throw new StatusError(`"${ctx.path}" requires at least 1 argument.`, 1);
    const project = projectNameOnly(cli, compose)!;
    const index = flags.int('index');
    const label = [`${PROJECT_LABEL}=${project.name}`, `${SERVICE_LABEL}=${service}`, ...(index > 0 ? [`${NUMBER_LABEL}=${index}`] : [])];
    const list = await containerList(cli.api(), { all: false, filters: JSON.stringify({ label }) });
    if (list.length === 0) throw new StatusError(index > 0 ? `service "${service}" is not running container #${index}` : `service "${service}" is not running`, 1);
    // The lowest number first, one-offs after service containers.
    const oneoff = (c: (typeof list)[number]) => (c.Labels?.[ONEOFF_LABEL] === 'True' ? 1 : 0);
    list.sort((a, b) => numberOf(a) - numberOf(b) || oneoff(a) - oneoff(b));
    const argv = [`--sig-proxy=${flags.bool('sig-proxy')}`];
    if (flags.str('detach-keys')) argv.push('--detach-keys', flags.str('detach-keys'));
    if (flags.bool('no-stdin')) argv.push('--no-stdin');
    const { command } = await import('../container/attach.ts');
    const parsed = parseFlags(command.flags, [...argv, list[0]!.Id], { interspersed: false });
    return (await command.run({ cli, flags: parsed, args: parsed.args, path: ctx.path })) ?? 0;
  },
};

export const stats: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE]',
  short: "Show the resource usage of the project's containers, live",
  args: { max: 1 },
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Include stopped containers too' },
    { long: 'format', type: 'string', usage: "Output format: 'table' (the default), 'table TEMPLATE', 'json', or a Go TEMPLATE" },
    { long: 'no-stream', type: 'bool', usage: 'Print one sample and exit' },
    { long: 'no-trunc', type: 'bool', usage: 'Print full IDs' },
  ],
  async run({ cli, flags, args, compose }) {
    if (args.length > 1) throw new StatusError(`"stats" accepts at most 1 argument(s).`, 1);
    const project = projectNameOnly(cli, compose)!;
    const label = [`${PROJECT_LABEL}=${project.name}`, ...(args[0] ? [`${SERVICE_LABEL}=${args[0]}`] : [])];
    const list = await containerList(cli.api(), { all: flags.bool('all'), filters: JSON.stringify({ label }) });
    const { showStats } = await import('../container/stats.ts');
    await showStats(cli, flags, list.map((c) => truncateId(c.Id)));
  },
};
