/**
 * `compose up`/`create`/`down` as sequences of Engine API calls, in Docker
 * Compose v2's order: networks and volumes, images (pull or build),
 * orphans, containers converged in dependency order, then started
 * (dependencies first, their conditions waited on). `down` reverses it:
 * containers stopped dependents first and removed, then networks, and
 * with -v the volumes; with --rmi the images.
 */
import { imageRemove } from '../client/images.ts';
import type { Project } from './load/model.ts';
import { converge, inDependencyOrder, removeContainer, startServices, stopContainer, waitRunning } from './converge.ts';
import { defaultImageName, SERVICE_LABEL } from './labels.ts';
import { ensureImages, ensureNetworks, ensureVolumes, removeNetworks, removeVolumes, type ImageOptions } from './resources.ts';
import { forAll, label, nameOf, projectContainers, serviceOf, type ComposeEnv } from './state.ts';

export interface CreateOptions extends ImageOptions {
  services: string[];
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  scale?: Record<string, number>;
  timeout?: number;
  /** Services named on the command line; --force-recreate and -V apply to them, --always-recreate-deps to the rest. */
  targets?: string[];
  recreateDeps?: boolean;
  renewAnonVolumes?: boolean;
}

export interface UpOptions extends CreateOptions {
  noStart?: boolean;
  wait?: boolean;
  /** Seconds; 0: no limit. */
  waitTimeout?: number;
  signal?: AbortSignal;
}

/** Containers of services no longer in the project: removed with --remove-orphans, else warned about. */
async function handleOrphans(env: ComposeEnv, project: Project, remove: boolean, timeout: number | undefined): Promise<void> {
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabled_services)]);
  const orphans = (await projectContainers(env.api, project.name)).filter((c) => !known.has(serviceOf(c)));
  if (orphans.length === 0) return;
  if (!remove) {
    env.warn(`Found orphan containers ([${orphans.map(nameOf).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
    return;
  }
  await forAll(orphans, async (c) => {
    const ref = { Id: c.Id, name: nameOf(c) };
    if (c.State === 'running') await stopContainer(env, ref, timeout);
    await removeContainer(env, ref, false);
  });
}

export async function create(env: ComposeEnv, project: Project, opts: CreateOptions): Promise<Set<string>> {
  const services = opts.services.length ? opts.services : Object.keys(project.services);
  const imageIds = await ensureImages(env, project, services, opts);
  await ensureNetworks(env, project);
  await ensureVolumes(env, project);
  await handleOrphans(env, project, opts.removeOrphans ?? false, opts.timeout);
  return converge(env, project, {
    services,
    imageIds,
    forceRecreate: opts.forceRecreate,
    noRecreate: opts.noRecreate,
    scale: opts.scale,
    timeout: opts.timeout,
    targets: opts.targets,
    recreateDeps: opts.recreateDeps,
    renewAnonVolumes: opts.renewAnonVolumes,
  });
}

export async function up(env: ComposeEnv, project: Project, opts: UpOptions): Promise<void> {
  const recreated = await create(env, project, opts);
  if (opts.noStart) return;
  const services = opts.services.length ? opts.services : Object.keys(project.services);
  await startServices(env, project, { services, signal: opts.signal, recreated });
  if (opts.wait) {
    const deadline = opts.waitTimeout ? Date.now() + opts.waitTimeout * 1000 : Number.POSITIVE_INFINITY;
    await waitRunning(env, project, services, deadline);
  }
}

export interface DownOptions {
  volumes?: boolean;
  rmi?: 'local' | 'all';
  removeOrphans?: boolean;
  timeout?: number;
}

export async function down(env: ComposeEnv, project: Project, opts: DownOptions): Promise<void> {
  const known = new Set(Object.keys(project.services));
  const all = await projectContainers(env.api, project.name, { oneoff: true });
  const ours = all.filter((c) => known.has(serviceOf(c)) || opts.removeOrphans || known.size === 0);
  if (!opts.removeOrphans && known.size > 0) {
    const orphans = all.filter((c) => !known.has(serviceOf(c)));
    if (orphans.length) env.warn(`Found orphan containers ([${orphans.map(nameOf).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
  }
  const stopOne = async (c: (typeof ours)[number]) => {
    const ref = { Id: c.Id, name: nameOf(c) };
    const s = project.services[serviceOf(c)];
    const t = opts.timeout ?? (s?.stop_grace_period === undefined ? undefined : Math.floor(s.stop_grace_period / 1e9));
    // Compose stops every container it removes (events included), whatever its state.
    await stopContainer(env, ref, t);
    await removeContainer(env, ref, opts.volumes ?? false);
  };
  // Dependents stop before what they depend on.
  const inProject = ours.filter((c) => known.has(serviceOf(c)));
  await inDependencyOrder(project, [...new Set(inProject.map(serviceOf))], (name) => forAll(inProject.filter((c) => label(c, SERVICE_LABEL) === name), stopOne), true);
  await forAll(
    ours.filter((c) => !known.has(serviceOf(c))),
    stopOne,
  );
  await removeNetworks(env, project);
  if (opts.volumes) await removeVolumes(env, project);
  if (opts.rmi) {
    const images = new Set<string>();
    for (const s of Object.values(project.services)) {
      if (opts.rmi === 'all' || !s.image) images.add(defaultImageName(project.name, s));
    }
    for (const image of images) {
      const id = `Image ${image}`;
      env.progress.event(id, 'Removing');
      try {
        await imageRemove(env.api, image, {});
        env.progress.event(id, 'Removed');
      } catch {
        // Compose warns and goes on when an image is missing or in use.
        env.progress.event(id, 'Warning');
      }
    }
  }
}
