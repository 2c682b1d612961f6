/**
 * The compose subcommands that apply one Engine API verb to the project's
 * containers (start, stop, restart, kill, rm, pause, unpause), and create,
 * pull and build: each a ComposeCommandSpec, with Compose v2's events.
 */
import { containerKill, containerPause, containerRestart, containerUnpause } from '../../../client/containers.ts';
import { StatusError } from '../../errors.ts';
import { confirm } from '../../prompt.ts';
import { inDependencyOrder, removeContainer, startServices, stopContainer } from '../../../compose/converge.ts';
import { defaultImageName } from '../../../compose/labels.ts';
import type { Project } from '../../../compose/load/model.ts';
import { pullImage } from '../../../compose/resources.ts';
import { forAll, nameOf, projectContainers, serviceOf, type ComposeEnv, type ProjectContainer } from '../../../compose/state.ts';
import { create } from '../../../compose/up.ts';
import type { ComposeCommandSpec, ComposeContextArg } from './index.ts';
import { composeBuilder, composeEnv, openSession, projectNameOnly } from './session.ts';
import { UP_CREATE_FLAGS, parseScale, pullPolicy } from './up.ts';

const TIMEOUT = { long: 'timeout', short: 't', type: 'int', usage: 'Seconds to wait for containers to stop' } as const;

async function targets(ctx: ComposeContextArg, project: Project, filter: (c: ProjectContainer) => boolean = () => true): Promise<ProjectContainer[]> {
  for (const a of ctx.args) if (Object.keys(project.services).length && !project.services[a]) throw new StatusError(`no such service: ${a}`, 1);
  return (await projectContainers(ctx.cli.api(), project.name)).filter((c) => (ctx.args.length === 0 || ctx.args.includes(serviceOf(c))) && filter(c));
}

/** A verb over every selected container, with Compose's progress words. */
function simple(short: string, words: [string, string], fn: (env: ComposeEnv, c: ProjectContainer, ctx: ComposeContextArg) => Promise<void>, filter?: (c: ProjectContainer) => boolean, extra: ComposeCommandSpec['flags'] = []): ComposeCommandSpec {
  return {
    usage: '[OPTIONS] [SERVICE...]',
    short,
    flags: extra,
    async run(ctx) {
      const project = projectNameOnly(ctx.cli, ctx.compose)!;
      const env = composeEnv(ctx.cli, ctx.compose);
      await forAll(await targets(ctx, project, filter), async (c) => {
        const id = `Container ${nameOf(c)}`;
        env.progress.event(id, words[0]);
        await fn(env, c, ctx);
        env.progress.event(id, words[1]);
      });
    },
  };
}

const timeoutOf = (ctx: ComposeContextArg) => (ctx.flags.has('timeout') ? ctx.flags.int('timeout') : undefined);

/**
 * `restart [SERVICE...]`: the named services' containers, and (unless --no-deps) those of services
 * depending on them with `restart: true`, in dependency order; Compose reports each one Started.
 */
export const restart: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: 'Stop and start service containers again',
  flags: [{ long: 'no-deps', type: 'bool', usage: 'Leave the services that depend on them alone' }, TIMEOUT],
  async run(ctx) {
    const project = projectNameOnly(ctx.cli, ctx.compose)!;
    const env = composeEnv(ctx.cli, ctx.compose);
    const all = await projectContainers(env.api, project.name);
    for (const a of ctx.args) if (Object.keys(project.services).length && !project.services[a]) throw new StatusError(`no such service: ${a}`, 1);
    const selected = new Set(ctx.args.length ? ctx.args : [...Object.keys(project.services), ...all.map(serviceOf)]);
    if (ctx.args.length && !ctx.flags.bool('no-deps')) {
      // Dependents through `restart: true` relations, transitively.
      for (let grew = true; grew; ) {
        grew = false;
        for (const [name, s] of Object.entries(project.services)) {
          if (selected.has(name)) continue;
          if (Object.entries(s.depends_on ?? {}).some(([d, cfg]) => cfg.restart && selected.has(d))) {
            selected.add(name);
            grew = true;
          }
        }
      }
    }
    const restartOne = (c: ProjectContainer) => async () => {
      const id = `Container ${nameOf(c)}`;
      env.progress.event(id, 'Restarting');
      await containerRestart(env.api, c.Id, { t: timeoutOf(ctx) });
      env.progress.event(id, 'Started');
    };
    const of = (name: string) => all.filter((c) => serviceOf(c) === name);
    const known = [...selected].filter((n) => project.services[n]);
    await inDependencyOrder(project, known, (name) => forAll(of(name), (c) => restartOne(c)()));
    await forAll([...selected].filter((n) => !project.services[n]).flatMap(of), (c) => restartOne(c)());
  },
};
export const kill = simple('Send a signal (KILL by default) to service containers', ['Killing', 'Killed'], (env, c, ctx) => containerKill(env.api, c.Id, ctx.flags.str('signal')), (c) => c.State === 'running', [
  { long: 'remove-orphans', type: 'bool', usage: 'Also delete containers of services the Compose file no longer has' },
  { long: 'signal', short: 's', type: 'string', usage: 'Which signal to send', def: 'SIGKILL' },
]);
export const pause = simple("Freeze the services' containers", ['Pausing', 'Paused'], (env, c) => containerPause(env.api, c.Id), (c) => c.State === 'running');
export const unpause = simple('Let paused service containers run again', ['Unpausing', 'Unpaused'], (env, c) => containerUnpause(env.api, c.Id), (c) => c.State === 'paused');

export const start: ComposeCommandSpec = {
  usage: '[SERVICE...]',
  short: "Start the services' existing containers",
  flags: [
    { long: 'wait', type: 'bool', usage: 'Return once the services run or are healthy (implies -d)' },
    { long: 'wait-timeout', type: 'int', usage: 'Longest time in seconds --wait waits' },
  ],
  async run(ctx) {
    const { project, env } = openSession(ctx.cli, ctx.compose);
    const services = ctx.args.length ? ctx.args : Object.keys(project.services);
    const have = new Set((await projectContainers(env.api, project.name)).map(serviceOf));
    for (const s of services) if (!have.has(s)) throw new StatusError(`service "${s}" has no container to start`, 1);
    await startServices(env, project, { services });
  },
};

export const stop: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: "Stop the services' running containers",
  flags: [TIMEOUT],
  async run(ctx) {
    const project = projectNameOnly(ctx.cli, ctx.compose)!;
    const env = composeEnv(ctx.cli, ctx.compose);
    const list = await targets(ctx, project, (c) => c.State === 'running' || c.State === 'paused' || c.State === 'restarting');
    const services = [...new Set(list.map(serviceOf))];
    const known = services.filter((s) => project.services[s]);
    const stopAll = (name: string | undefined) =>
      forAll(
        list.filter((c) => name === undefined ? !project.services[serviceOf(c)] : serviceOf(c) === name),
        (c) => stopContainer(env, { Id: c.Id, name: nameOf(c) }, timeoutOf(ctx) ?? graceOf(project, c)),
      );
    await inDependencyOrder(project, known, stopAll, true);
    await stopAll(undefined);
  },
};

function graceOf(project: Project, c: ProjectContainer): number | undefined {
  const g = project.services[serviceOf(c)]?.stop_grace_period;
  return g === undefined ? undefined : Math.floor(g / 1e9);
}

export const rm: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: 'Delete stopped service containers',
  long: 'Delete stopped service containers.\n\nTheir anonymous volumes stay unless -v is given ("berth volume ls" lists\nvolumes). Anything not kept in a volume is lost.',
  flags: [
    { long: 'force', short: 'f', type: 'bool', usage: 'Skip the confirmation question' },
    { long: 'stop', short: 's', type: 'bool', usage: 'Stop running containers first' },
    { long: 'volumes', short: 'v', type: 'bool', usage: "Also delete the containers' anonymous volumes" },
  ],
  async run(ctx) {
    const project = projectNameOnly(ctx.cli, ctx.compose)!;
    const env = composeEnv(ctx.cli, ctx.compose);
    const stopFirst = ctx.flags.bool('stop');
    const list = await targets(ctx, project, (c) => stopFirst || c.State !== 'running');
    if (list.length === 0) {
      ctx.cli.err.write('No stopped containers\n');
      return;
    }
    if (!ctx.flags.bool('force')) {
      const names = list.map(nameOf).join(', ');
      if (!(await confirm(ctx.cli, `Going to remove ${names}\nAre you sure?`))) return;
    }
    await forAll(list, async (c) => {
      if (c.State === 'running') await stopContainer(env, { Id: c.Id, name: nameOf(c) }, graceOf(project, c));
      await removeContainer(env, { Id: c.Id, name: nameOf(c) }, ctx.flags.bool('volumes'));
    });
  },
};

export const createCommand: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: 'Make the containers of services without starting them',
  flags: UP_CREATE_FLAGS,
  async run(ctx) {
    const { project, env } = openSession(ctx.cli, ctx.compose, ctx.args);
    await create(env, project, {
      services: [],
      build: ctx.flags.bool('build'),
      noBuild: ctx.flags.bool('no-build'),
      builder: composeBuilder(ctx.cli, ctx.compose),
      pull: pullPolicy(ctx.flags.str('pull')),
      quietPull: ctx.flags.bool('quiet-pull'),
      forceRecreate: ctx.flags.bool('force-recreate'),
      noRecreate: ctx.flags.bool('no-recreate'),
      removeOrphans: ctx.flags.bool('remove-orphans'),
      scale: parseScale(ctx.flags.list('scale')),
    });
  },
};

export const pull: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: "Fetch the services' images",
  flags: [
    { long: 'ignore-buildable', type: 'bool', usage: 'Skip services that have a build section' },
    { long: 'ignore-pull-failures', type: 'bool', usage: 'Carry on past images that fail to pull' },
    { long: 'include-deps', type: 'bool', usage: 'Fetch the images of dependencies too' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Fetch without printing progress' },
  ],
  async run(ctx) {
    const { project, env } = openSession(ctx.cli, ctx.compose, ctx.args);
    const services = ctx.args.length && !ctx.flags.bool('include-deps') ? ctx.args : Object.keys(project.services);
    await forAll(services, async (name) => {
      const s = project.services[name]!;
      if (!s.image || (s.build && ctx.flags.bool('ignore-buildable'))) {
        env.progress.event(name, 'Skipped - No image to be pulled');
        return;
      }
      try {
        await pullImage(env, name, s.image);
      } catch (err) {
        if (!ctx.flags.bool('ignore-pull-failures')) throw err;
        env.warn((err as Error).message);
      }
    });
  },
};

export const build: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: 'Build the images of services',
  flags: [
    { long: 'no-cache', type: 'bool', usage: 'Build every step afresh, ignoring cached results' },
    { long: 'pull', type: 'bool', usage: 'Check the registry for a newer base image every time' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print nothing on standard output' },
  ],
  async run(ctx) {
    const { project } = openSession(ctx.cli, ctx.compose, ctx.args);
    const builder = composeBuilder(ctx.cli);
    const services = ctx.args.length ? ctx.args : Object.keys(project.services);
    for (const name of services) {
      const s = project.services[name]!;
      if (!s.build) continue;
      const b = { ...s, build: { ...s.build, no_cache: ctx.flags.bool('no-cache') || s.build.no_cache, pull: ctx.flags.bool('pull') || s.build.pull } };
      await builder(b, defaultImageName(project.name, s));
    }
  },
};
