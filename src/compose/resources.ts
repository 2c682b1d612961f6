/**
 * A project's networks, volumes and images through the Engine API: created
 * when missing (external ones only looked up), removed by `down`. Events
 * and errors with Docker Compose v2's words.
 */
import { readJsonLines } from '../client/json-stream.ts';
import { imageInspect, imagePull } from '../client/images.ts';
import { networkCreate, networkList, networkRemove, type NetworkCreateRequest } from '../client/networks.ts';
import { volumeCreate, volumeInspectRaw, volumeRemove } from '../client/volumes.ts';
import { ApiError } from '../client/errors.ts';
import { InvalidParameterError, NotFoundError } from '../util/errors.ts';
import type { Project, ServiceConfig } from './load/model.ts';
import { defaultImageName, NETWORK_LABEL, PROJECT_LABEL } from './labels.ts';
import { planNetwork, planVolume } from './plan.ts';
import { forAll, type ComposeEnv } from './state.ts';

const notFound = (err: unknown) => err instanceof ApiError && err.statusCode === 404;

async function findNetwork(env: ComposeEnv, name: string) {
  const list = await networkList(env.api, JSON.stringify({ name: [name] }));
  return list.find((n) => n.Name === name);
}

export async function ensureNetworks(env: ComposeEnv, project: Project): Promise<void> {
  for (const key of Object.keys(project.networks).sort()) {
    const n = project.networks[key]!;
    const existing = await findNetwork(env, n.name);
    if (n.external) {
      if (!existing) throw new NotFoundError(`network ${n.name} declared as external, but could not be found`);
      continue;
    }
    if (existing) {
      const labels = existing.Labels ?? {};
      if (labels[PROJECT_LABEL] !== project.name || labels[NETWORK_LABEL] !== key) {
        env.warn(`a network with name ${n.name} exists but was not created by compose.\nSet \`external: true\` to use an existing network`);
      }
      continue;
    }
    const request = { Scope: '', Ingress: false, ConfigOnly: false, ConfigFrom: null, ...planNetwork(project, key, n) } as unknown as NetworkCreateRequest;
    await env.progress.step(`Network ${n.name}`, 'Creating', 'Created', () =>
      networkCreate(env.api, request).catch((err: unknown) => {
        throw new InvalidParameterError(`failed to create network ${n.name}: ${(err as Error).message}`, { cause: err });
      }),
    );
  }
}

export async function ensureVolumes(env: ComposeEnv, project: Project): Promise<void> {
  for (const key of Object.keys(project.volumes).sort()) {
    const v = project.volumes[key]!;
    let exists = true;
    try {
      await volumeInspectRaw(env.api, v.name);
    } catch (err) {
      if (!notFound(err)) throw err;
      exists = false;
    }
    if (v.external) {
      if (!exists) throw new NotFoundError(`external volume "${v.name}" not found`);
      continue;
    }
    if (exists) continue;
    const id = `Volume "${v.name}"`;
    env.progress.event(id, 'Creating');
    await volumeCreate(env.api, planVolume(project, key, v));
    env.progress.event(id, 'Created');
  }
}

export type PullPolicy = 'always' | 'missing' | 'never' | 'build' | undefined;

export async function imageId(env: ComposeEnv, image: string): Promise<string | undefined> {
  try {
    return (await imageInspect(env.api, image))['Id'] as string;
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

/**
 * POST /images/create, drained; a stream error becomes an error. Compose 2.29 shows the service
 * `Pulling`/`Pulled` and, unless quiet (--quiet-pull), each layer's progress under it.
 */
export async function pullImage(env: ComposeEnv, service: string, image: string, quiet = false): Promise<void> {
  const id = service;
  env.progress.raw(id, 'Pulling', '');
  const [repo, tag] = splitTag(image);
  try {
    const res = await imagePull(env.api, { fromImage: repo, tag }, Buffer.from('{}').toString('base64'));
    for await (const m of readJsonLines<{ id?: string; status?: string; progress?: string; progressDetail?: unknown; error?: string }>(res)) {
      if (m.error) throw new InvalidParameterError(m.error);
      if (!quiet && m.id && m.progressDetail !== undefined) env.progress.raw(m.id, m.status ?? '', m.progress ?? '');
    }
  } catch (err) {
    env.progress.raw(id, 'Error', (err as Error).message, true);
    throw err;
  }
  env.progress.raw(id, 'Pulled', '');
}

function splitTag(image: string): [string, string] {
  const at = image.indexOf('@');
  if (at >= 0) return [image.slice(0, at), image.slice(at + 1)];
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, 'latest'];
}

export interface ImageOptions {
  pull?: PullPolicy;
  /** --quiet-pull: no layer progress. */
  quietPull?: boolean;
  /** --build: build every service that has a build section. */
  build?: boolean;
  noBuild?: boolean;
  /** Builds one service's image (the CLI's builder, POST /build). */
  builder?: (service: ServiceConfig, tag: string) => Promise<void>;
}

/** Every service's image present (pulled or built as the policy says); their IDs by service. */
export async function ensureImages(env: ComposeEnv, project: Project, services: string[], opts: ImageOptions): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const toBuild: ServiceConfig[] = [];
  await forAll(services, async (name) => {
    const s = project.services[name]!;
    const image = defaultImageName(project.name, s);
    const policy = opts.pull ?? (s.pull_policy as PullPolicy) ?? 'missing';
    let id = await imageId(env, image);
    if (s.build && !opts.noBuild && (opts.build || policy === 'build' || id === undefined)) {
      toBuild.push(s);
      return;
    }
    if (policy === 'always' || (id === undefined && policy !== 'never')) {
      await pullImage(env, name, image, opts.quietPull);
      id = await imageId(env, image);
    }
    if (id === undefined) throw new NotFoundError(`No such image: ${image}`);
    ids.set(name, id);
  });
  for (const s of toBuild) {
    const tag = defaultImageName(project.name, s);
    if (!opts.builder) throw new InvalidParameterError(`service "${s.name}" needs a build, which this client cannot do`);
    await opts.builder(s, tag);
    const id = await imageId(env, tag);
    if (id === undefined) throw new NotFoundError(`No such image: ${tag}`);
    ids.set(s.name, id);
  }
  return ids;
}

export async function removeNetworks(env: ComposeEnv, project: Project): Promise<void> {
  for (const key of Object.keys(project.networks).sort()) {
    const n = project.networks[key]!;
    if (n.external) continue;
    const existing = await findNetwork(env, n.name);
    if (!existing) continue;
    await env.progress.step(`Network ${n.name}`, 'Removing', 'Removed', () => networkRemove(env.api, existing.Id));
  }
}

export async function removeVolumes(env: ComposeEnv, project: Project): Promise<void> {
  for (const key of Object.keys(project.volumes).sort()) {
    const v = project.volumes[key]!;
    if (v.external) continue;
    const id = `Volume ${v.name}`;
    try {
      await volumeInspectRaw(env.api, v.name);
    } catch (err) {
      if (notFound(err)) continue;
      throw err;
    }
    env.progress.event(id, 'Removing');
    await volumeRemove(env.api, v.name, false);
    env.progress.event(id, 'Removed');
  }
}
