/**
 * Compose's convergence: for each service, in dependency order, the
 * containers the project wants (scale, config hash, image) against those
 * the engine has. Unchanged containers are left alone, changed ones are
 * recreated (the old one renamed `<id12>_<name>`, the new one created,
 * the old removed, its anonymous volumes kept), extra replicas removed,
 * missing ones created. Then `start`: dependencies first, waiting on
 * their conditions (service_started / _healthy / _completed_successfully)
 * as Compose does; a failure stops only what depends on it.
 */
import { containerCreate, containerInspect, containerRemove, containerRename, containerRestart, containerStart, containerStop } from '../client/containers.ts';
import { networkConnect } from '../client/networks.ts';
import { ApiError } from '../client/errors.ts';
import { injectFiles } from './inject.ts';
import type { ContainerInspect } from '../client/types.ts';
import { InvalidParameterError } from '../util/errors.ts';
import type { Project, ServiceConfig } from './load/model.ts';
import { CONFIG_HASH_LABEL, IMAGE_DIGEST_LABEL, containerName } from './labels.ts';
import { configHash, planContainer, serviceScale } from './plan.ts';
import { byService, forAll, label, nameOf, numberOf, projectContainers, type ComposeEnv, type ProjectContainer } from './state.ts';

export interface ConvergeOptions {
  forceRecreate?: boolean;
  noRecreate?: boolean;
  scale?: Record<string, number>;
  /** Services whose dependencies are not touched (--no-deps): only these are converged. */
  services: string[];
  imageIds: Map<string, string>;
  /** The seconds a stop waits (-t), else the service's stop_grace_period. */
  timeout?: number;
  /**
   * The services named on the command line (all when empty): --force-recreate and -V apply to
   * them; the others (their dependencies) are recreated only when changed, or with --always-recreate-deps.
   */
  targets?: string[];
  recreateDeps?: boolean;
  /** -V: recreate the targets with new anonymous volumes instead of the old containers'. */
  renewAnonVolumes?: boolean;
}

type Inspected = ContainerInspect & { Mounts?: { Type: string; Name?: string; Destination: string }[] };

/**
 * The services a service comes after (in the project; optional ones absent are skipped):
 * depends_on, and those whose container it joins (network_mode/ipc/pid `service:x`, volumes_from).
 */
export function dependencies(project: Project, s: ServiceConfig): string[] {
  const out = new Set(Object.keys(s.depends_on ?? {}));
  for (const mode of [s.network_mode, s.ipc, s.pid]) if (mode?.startsWith('service:')) out.add(mode.slice('service:'.length));
  for (const v of s.volumes_from ?? []) if (!v.startsWith('container:')) out.add(v.split(':')[0]!);
  for (const l of s.links ?? []) out.add(l.split(':')[0]!);
  return [...out].filter((d) => project.services[d] !== undefined);
}

/** Walk `services` in dependency order: `fn` of a service runs once all its dependencies' have finished. */
export async function inDependencyOrder(project: Project, services: string[], fn: (name: string) => Promise<void>, reverse = false): Promise<void> {
  const wanted = new Set(services);
  const runs = new Map<string, Promise<void>>();
  const dependents = (name: string) => [...wanted].filter((o) => dependencies(project, project.services[o]!).includes(name));
  const visit = (name: string): Promise<void> => {
    let p = runs.get(name);
    if (!p) {
      const before = reverse ? dependents(name) : dependencies(project, project.services[name]!).filter((d) => wanted.has(d));
      p = forAll(before, visit).then(() => fn(name));
      runs.set(name, p);
    }
    return p;
  };
  await forAll([...wanted], visit);
}

function stopTimeout(s: ServiceConfig | undefined, t: number | undefined): number | undefined {
  if (t !== undefined) return t;
  return s?.stop_grace_period === undefined ? undefined : Math.floor(s.stop_grace_period / 1e9);
}

export async function stopContainer(env: ComposeEnv, c: { Id: string; name: string }, timeout: number | undefined): Promise<void> {
  const id = `Container ${c.name}`;
  env.progress.event(id, 'Stopping');
  try {
    await containerStop(env.api, c.Id, { t: timeout });
  } catch (err) {
    // 304: already stopped; Compose reports it stopped all the same.
    if (!(err instanceof ApiError && err.statusCode === 304)) throw err;
  }
  env.progress.event(id, 'Stopped');
}

export async function removeContainer(env: ComposeEnv, c: { Id: string; name: string }, volumes: boolean): Promise<void> {
  const id = `Container ${c.name}`;
  env.progress.event(id, 'Removing');
  await containerRemove(env.api, c.Id, { force: true, v: volumes });
  env.progress.event(id, 'Removed');
}

/** Create container `number` of a service (and join its other networks). */
export async function createServiceContainer(env: ComposeEnv, project: Project, s: ServiceConfig, number: number, imageId: string | undefined, replaced?: Inspected, inherit = true): Promise<string> {
  const inherited: Record<string, string> = {};
  for (const m of inherit ? (replaced?.Mounts ?? []) : []) {
    if (m.Type === 'volume' && m.Name && (s.volumes ?? []).some((v) => v.type === 'volume' && !v.source && v.target === m.Destination)) inherited[m.Destination] = m.Name;
  }
  const serviceContainer = (other: string) => serviceContainerIds.get(`${project.name}/${other}`);
  // links: the names of the linked services' containers (created before: links are dependencies).
  const names = new Map<string, string[]>();
  if (s.links?.length) for (const c of await projectContainers(env.api, project.name)) names.set(label(c, 'com.docker.compose.service'), [...(names.get(label(c, 'com.docker.compose.service')) ?? []), nameOf(c)]);
  const linkedContainers = (svc: string) => names.get(svc) ?? [];
  const plan = planContainer({ project, service: s, number, imageId, inheritedVolumes: inherited, serviceContainer, linkedContainers });
  const { Id } = await containerCreate(env.api, plan.body, { name: plan.name });
  for (const n of plan.connect) await networkConnect(env.api, n.network, Id, n.endpoint);
  await injectFiles(env, project, s, Id);
  return Id;
}

/** The first container of each service seen by this run, for `network_mode: service:x`. */
const serviceContainerIds = new Map<string, string>();

/** Compose's strategies: a target is forced by --force-recreate or -V, a dependency by --always-recreate-deps. */
function isTarget(name: string, opts: ConvergeOptions): boolean {
  return !opts.targets?.length || opts.targets.includes(name);
}

function mustRecreate(c: ProjectContainer, s: ServiceConfig, imageId: string | undefined, opts: ConvergeOptions): boolean {
  if (opts.noRecreate) return false;
  if (isTarget(s.name, opts) ? opts.forceRecreate || opts.renewAnonVolumes : opts.recreateDeps) return true;
  if (label(c, CONFIG_HASH_LABEL) !== configHash(s)) return true;
  return imageId !== undefined && label(c, IMAGE_DIGEST_LABEL) !== '' && label(c, IMAGE_DIGEST_LABEL) !== imageId;
}

async function convergeService(env: ComposeEnv, project: Project, name: string, existing: ProjectContainer[], opts: ConvergeOptions, recreated: Set<string>): Promise<void> {
  const s = project.services[name]!;
  const scale = opts.scale?.[name] ?? serviceScale(s);
  const imageId = opts.imageIds.get(name);
  const sorted = [...existing].sort((a, b) => numberOf(a) - numberOf(b));
  const keep = sorted.slice(0, scale);
  const extra = sorted.slice(scale);
  // Extra replicas go first, highest numbers first.
  await forAll(extra.reverse(), async (c) => {
    const ref = { Id: c.Id, name: nameOf(c) };
    if (c.State === 'running') await stopContainer(env, ref, stopTimeout(s, opts.timeout));
    await removeContainer(env, ref, false);
  });
  await forAll(keep, async (c) => {
    const ref = { Id: c.Id, name: nameOf(c) };
    if (!mustRecreate(c, s, imageId, opts)) {
      serviceContainerIds.set(`${project.name}/${name}`, serviceContainerIds.get(`${project.name}/${name}`) ?? c.Id);
      if (c.State === 'running') env.progress.event(`Container ${ref.name}`, 'Running');
      return;
    }
    const id = `Container ${ref.name}`;
    env.progress.event(id, 'Recreate');
    recreated.add(name);
    const old = (await containerInspect(env.api, c.Id)) as Inspected;
    if (old.State.Running) await containerStop(env.api, c.Id, { t: stopTimeout(s, opts.timeout) });
    await containerRename(env.api, c.Id, `${c.Id.slice(0, 12)}_${ref.name}`);
    const newId = await createServiceContainer(env, project, s, numberOf(c) || 1, imageId, old, !(opts.renewAnonVolumes && isTarget(name, opts)));
    await containerRemove(env.api, c.Id, { force: true });
    serviceContainerIds.set(`${project.name}/${name}`, newId);
    env.progress.event(id, 'Recreated');
  });
  let next = Math.max(0, ...keep.map(numberOf));
  const missing = scale - keep.length;
  const numbers = Array.from({ length: Math.max(0, missing) }, () => ++next);
  await forAll(numbers, async (n) => {
    const cname = containerName(project.name, s, n);
    const cid = await env.progress.step(`Container ${cname}`, 'Creating', 'Created', () => createServiceContainer(env, project, s, n, imageId));
    if (n === 1 || !serviceContainerIds.has(`${project.name}/${name}`)) serviceContainerIds.set(`${project.name}/${name}`, cid);
  });
}

/** Create/recreate/remove each service's containers, dependencies first; the services recreated. */
export async function converge(env: ComposeEnv, project: Project, opts: ConvergeOptions): Promise<Set<string>> {
  const observed = byService(await projectContainers(env.api, project.name));
  const recreated = new Set<string>();
  await inDependencyOrder(project, opts.services, (name) => convergeService(env, project, name, observed.get(name) ?? [], opts, recreated));
  return recreated;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * How often a dependency's (or --wait's) state is inspected: a healthy dependency is seen at
 * most this late (docker-compose 1.29 looks every 0.1 s, Compose v2 every 0.5 s).
 */
const POLL_MS = 100;

/**
 * Wait until a dependency's containers meet the condition (Compose polls inspect, so do we).
 * An optional dependency (`required: false`) that has no container, turns unhealthy or exits
 * non-zero is skipped with Compose's warning instead of failing the dependant.
 */
async function waitDependency(env: ComposeEnv, project: Project, dependant: string, dep: string, condition: string, required: boolean, signal?: AbortSignal): Promise<void> {
  // service_started is ordering alone; a dependency scaled to 0 is not waited on.
  if (condition === 'service_started') return;
  const depService = project.services[dep];
  if (!depService || serviceScale(depService) === 0) return;
  const containers = (await projectContainers(env.api, project.name)).filter((c) => label(c, 'com.docker.compose.service') === dep);
  for (const c of containers) env.progress.event(`Container ${nameOf(c)}`, 'Waiting');
  if (containers.length === 0) {
    if (required) throw new InvalidParameterError(`${dependant} is missing dependency ${dep}`);
    env.warn(`${dependant} is missing dependency ${dep}`);
    return;
  }
  const skip = (reason: string, detail: string) => {
    for (const c of containers) env.progress.event(`Container ${nameOf(c)}`, `Skipped: ${reason}`);
    env.warn(detail);
  };
  try {
    await forAll(containers, async (c) => {
      const id = `Container ${nameOf(c)}`;
      for (;;) {
        signal?.throwIfAborted();
        const info = (await containerInspect(env.api, c.Id)) as ContainerInspect & { State: { Health?: { Status: string } } };
        if (condition === 'service_healthy') {
          const health = info.State.Health?.Status;
          if (info.State.Status === 'exited') throw new DependencyError(`container ${nameOf(c)} exited (${info.State.ExitCode})`);
          if (health === undefined) throw new DependencyError(`container ${nameOf(c)} has no healthcheck configured`);
          if (health === 'healthy') {
            env.progress.event(id, 'Healthy');
            return;
          }
          if (health === 'unhealthy') throw new DependencyError(`container ${nameOf(c)} is unhealthy`);
        } else if (info.State.Status === 'exited') {
          if (info.State.ExitCode !== 0) throw new DependencyError(`"${dep}" didn't complete successfully: exit ${info.State.ExitCode}`, true);
          env.progress.event(id, 'Exited');
          return;
        }
        await sleep(POLL_MS);
      }
    });
  } catch (err) {
    if (!(err instanceof DependencyError)) throw err;
    if (err.completion) {
      if (!required) return skip(`optional dependency ${err.message}`, `optional dependency ${err.message}`);
      for (const c of containers) env.progress.event(`Container ${nameOf(c)}`, 'Error', true);
      throw new InvalidParameterError(`service ${err.message}`);
    }
    if (!required) return skip(`optional dependency "${dep}" failed to start`, `optional dependency "${dep}" failed to start: ${err.message}`);
    for (const c of containers) env.progress.event(`Container ${nameOf(c)}`, 'Error', true);
    throw new InvalidParameterError(`dependency failed to start: ${err.message}`);
  }
}

/** Why a dependency's condition cannot be met (the dependant fails, or skips it when optional). */
class DependencyError extends Error {
  constructor(
    message: string,
    readonly completion = false,
  ) {
    super(message);
  }
}

export interface StartOptions {
  services: string[];
  /** Dependencies' conditions are waited on (up, start); not with --no-deps' outside services. */
  signal?: AbortSignal;
  /** Services recreated by this `up`: dependents with `depends_on.<dep>.restart: true` are restarted. */
  recreated?: Set<string>;
}

/** Start every stopped container of the services, dependencies first, waiting on their conditions. */
export async function startServices(env: ComposeEnv, project: Project, opts: StartOptions): Promise<void> {
  await inDependencyOrder(project, opts.services, async (name) => {
    const s = project.services[name]!;
    for (const [dep, cfg] of Object.entries(s.depends_on ?? {})) {
      if (!project.services[dep]) continue;
      await waitDependency(env, project, name, dep, cfg.condition, cfg.required, opts.signal);
    }
    const containers = (await projectContainers(env.api, project.name)).filter((c) => label(c, 'com.docker.compose.service') === name);
    const restartFor = Object.entries(s.depends_on ?? {}).some(([dep, cfg]) => cfg.restart && opts.recreated?.has(dep)) && !opts.recreated?.has(name);
    await forAll(containers, async (c) => {
      if (c.State === 'running' && restartFor) {
        const id = `Container ${nameOf(c)}`;
        env.progress.event(id, 'Restart');
        await containerRestart(env.api, c.Id, {});
        env.progress.event(id, 'Restarted');
        return;
      }
      if (c.State === 'running') return;
      await env.progress.step(`Container ${nameOf(c)}`, 'Starting', 'Started', () => containerStart(env.api, c.Id));
    });
  });
}

/** --wait: every container of the services running, and healthy where it has a healthcheck. */
export async function waitRunning(env: ComposeEnv, project: Project, services: string[], deadline: number): Promise<void> {
  const containers = (await projectContainers(env.api, project.name)).filter((c) => services.includes(label(c, 'com.docker.compose.service')));
  await forAll(containers, async (c) => {
    const id = `Container ${nameOf(c)}`;
    env.progress.event(id, 'Waiting');
    for (;;) {
      const info = (await containerInspect(env.api, c.Id)) as ContainerInspect & { State: { Health?: { Status: string } } };
      const health = info.State.Health?.Status;
      if (!info.State.Running) {
        env.progress.event(id, 'Error', true);
        throw new InvalidParameterError(`container ${nameOf(c)} exited (${info.State.ExitCode})`);
      }
      if (health === undefined || health === 'healthy') {
        env.progress.event(id, 'Healthy');
        return;
      }
      if (health === 'unhealthy') {
        env.progress.event(id, 'Error', true);
        throw new InvalidParameterError(`container ${nameOf(c)} is unhealthy`);
      }
      if (Date.now() > deadline) throw new InvalidParameterError('application not healthy after timeout');
      await sleep(POLL_MS);
    }
  });
}
