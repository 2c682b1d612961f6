/**
 * The create verb: dockerd's normalisation and checks of the request, the
 * image's config merged in, a name reserved, then the container laid out
 * (its directory and resources). Its runtime container is made ahead of
 * the start only when starts have followed recent creates, or once a
 * client announces a start (prepared-pool.ts); the rootfs is mounted then,
 * or when first needed. The
 * record is written last, so a crash leaves at most a directory without a
 * record, which the next daemon start sweeps.
 */
import { randomBytes } from 'node:crypto';
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { detectCgroupVersion } from '../../drivers/cgroups/paths.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';
import type { ContainerDefaults } from '../daemon-config.ts';
import type { ImageService } from '../images/image-service.ts';
import { checkImagePlatform } from '../images/platform.ts';
import { parseReference } from '../../oci/reference.ts';
import { commandOf, mergeImageConfig, normalizeHostConfig, normalizeName, resolveLinks, type ImageConfigLike } from './create.ts';
import { discardUnsupported, runChecks } from './create-checks.ts';
import type { LifecycleContext } from './lifecycle-context.ts';
import { uniqueName } from './names.ts';
import { newState, type ContainerRecord } from './record.ts';
import type { EndpointSettingsRequest } from '../../wire/network.ts';
import { requestedEndpoint } from '../network/endpoint-request.ts';

export interface CreateRequest {
  name?: string;
  config: ContainerConfig;
  hostConfig?: HostConfig;
  platform?: string;
  /** NetworkingConfig.EndpointsConfig: what the container asks of its network (at most one). */
  endpointsConfig?: Record<string, EndpointSettingsRequest>;
}

export interface CreateDeps {
  images: Pick<ImageService, 'resolve'>;
  defaults?: ContainerDefaults;
}

export async function createContainer(ctx: LifecycleContext, deps: CreateDeps, request: CreateRequest): Promise<{ Id: string; Warnings: string[] }> {
  const userConfig = request.config;
  const cgroupnsMode = (await detectCgroupVersion()) === 2 ? 'private' : 'host';
  const hostConfig = normalizeHostConfig(request.hostConfig ?? {}, { cgroupnsMode, logConfig: deps.defaults?.logConfig, shmSize: deps.defaults?.shmSize });
  const warnings = await discardUnsupported(hostConfig);
  const checkInput = { config: userConfig, hostConfig, hostCpus: ctx.hostCpus, containerExists: (ref: string) => Boolean(ctx.store.find(ref)) };
  runChecks('create', checkInput);
  // dockerd reads the image as a reference before it looks for it: a malformed one is a 400, not a 404.
  const imageRef = userConfig.Image ?? '';
  if (imageRef !== '' && !/^[a-f0-9]{64}$/.test(imageRef) && !imageRef.startsWith('sha256:')) parseReference(imageRef);
  const image = await deps.images.resolve(imageRef);
  runChecks('create-after-image', checkInput);
  if (request.platform) checkImagePlatform(userConfig.Image!, request.platform, image.imageConfig);
  const config = mergeImageConfig(userConfig, image.config as ImageConfigLike);
  const { path, args } = commandOf(config);

  const id = randomBytes(32).toString('hex');
  const name = request.name ? normalizeName(request.name) : uniqueName((n) => ctx.store.hasName(n));
  if (hostConfig.Links?.length) hostConfig.Links = resolveLinks(hostConfig.Links, name, (ref) => ctx.store.resolve(ref));
  ctx.store.reserveName(name, id);
  const record: ContainerRecord = {
    id,
    name,
    created: nowRfc3339Nano(),
    image: image.id,
    imageChainId: image.chainId,
    config: { ...config, Hostname: config.Hostname || id.slice(0, 12) },
    hostConfig,
    path,
    args,
    state: newState(),
    restartCount: 0,
    networkMode: hostConfig.NetworkMode || 'default',
  };
  // Kept as asked; the network resource resolves the network and checks it.
  if (request.endpointsConfig) record.networks = Object.fromEntries(Object.entries(request.endpointsConfig).map(([key, e]) => [key, requestedEndpoint(e)]));
  try {
    ctx.layout.makeDirectory(id);
    // When starts have followed recent creates (docker run, compose up), the
    // runtime container's monitor is started first (prepare spawns it before
    // it returns) and the rootfs mounted, on the next microtask, while it
    // starts up; otherwise nothing is made until a start is announced.
    const eager = ctx.pool.startsExpected();
    const laidOut = Promise.resolve().then(() => Promise.all([eager ? ctx.layout.mountRootfs(record) : undefined, ctx.resources.create(record)]));
    if (eager) ctx.pool.prepare(record, laidOut);
    await laidOut;
    await ctx.store.save(record);
  } catch (err) {
    await ctx.lock.run(id, () => ctx.pool.discard(id));
    // The anonymous volumes it made go with it (named ones stay, as dockerd leaves them).
    await ctx.resources.removed(record, { volumes: true });
    ctx.store.releaseName(name, id);
    await ctx.layout.teardown(id, 'all').catch(() => undefined);
    throw err;
  }
  ctx.announce(record, 'create');
  return { Id: id, Warnings: warnings };
}
