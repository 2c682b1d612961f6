/**
 * The composition root: builds every service from one set of options and
 * wires their dependencies. Importable by any Node program that wants to
 * run containers in-process (the API layer is one such user).
 */
import os from 'node:os';
import { ConmonRunc } from '../drivers/runtime/conmon-runc.ts';
import { seccompHost } from '../drivers/seccomp-host.ts';
import type { SeccompHost } from '../drivers/runtime/spec/seccomp.ts';
import type { RuntimeDriver } from '../drivers/runtime/runtime.ts';
import { ContentStore } from '../store/content/content-store.ts';
import { LayerStore } from '../store/layers/layer-store.ts';
import { ensurePrivateRoots } from '../store/private-roots.ts';
import { ContainerService } from './containers/container-service.ts';
import { IdmapMounts } from './containers/idmap.ts';
import { ContainerQueries } from './containers/container-queries.ts';
import { ContainerData } from './containers/container-data.ts';
import { ContainerIO } from './containers/container-io.ts';
import { EventsService } from './events/events-service.ts';
import { HealthMonitor } from './containers/health.ts';
import { ExecService } from './exec/exec-service.ts';
import { ImageService } from './images/image-service.ts';
import { Puller, type DistributionConfig } from './distribution/pull.ts';
import { registryInfo } from '../registry/client/endpoints.ts';
import { SystemService } from './system/system-service.ts';
import type { ContainerDefaults } from './daemon-config.ts';
import { NetworkService } from './network/network-service.ts';
import { VolumeService } from './volumes/volume-service.ts';
import { toWireVolumeUsage } from './volumes/to-wire.ts';
import { networkDefaults, type NetworkDefaults } from './network/network-defaults.ts';
import type { ContainerNetworking } from './network/container-networking.ts';
import type { ContainerRunner } from './build/container-runner.ts';
import { ServiceContainerRunner } from './build/service-container-runner.ts';
import type { BuildService } from './build/build-service.ts';
import type { BuildContext, ContextSource } from './build/build-context.ts';
import { openBuildContext, type OpenContextOptions } from './build/context.ts';
import { Builder } from './build/builder.ts';
import { FileCopier } from './build/copy-files.ts';
import { authConfigFrom } from '../registry/client/auth.ts';
import { toWireBuildCache } from './build/to-wire.ts';
import { promises as fs } from 'node:fs';
import { isActive } from './containers/state-machine.ts';
import { Journal } from '../store/journal.ts';
import { log } from '../util/log.ts';
import { recover } from './recovery.ts';
import { Sandboxes } from './network/sandboxes.ts';
import { HostPortReservations } from './network/ports.ts';
import { Netavark } from '../drivers/network/netavark.ts';
import { NetnsDir } from '../drivers/network/netns.ts';
import { ensureAdminChain, removeUnusedAdminChain } from '../drivers/network/admin-chain.ts';
import { repairIsolation } from '../drivers/network/isolation-repair.ts';

export interface EngineOptions {
  dataRoot: string;
  execRoot: string;
  runtime?: RuntimeDriver;
  initPath?: string;
  logLevel?: string;
  /** Host facts for seccomp (default: probed). */
  host?: SeccompHost;
  /** Container defaults from the daemon's configuration. */
  defaults?: ContainerDefaults;
  /** The daemon's network settings (default: dockerd's defaults, bridge `berth0`). */
  network?: NetworkDefaults;
  /** Where `image bootstrap debian:…` keeps downloaded .debs (default: under the data root). */
  bootstrapCacheDir?: string;
  /** Registries: insecure-registries, registry-mirrors, max-concurrent-downloads. */
  registry?: DistributionConfig;
}

export class Engine {
  readonly events = new EventsService();
  readonly content: ContentStore;
  readonly layers: LayerStore;
  readonly images: ImageService;
  /** Pull (and the registry settings push shares). */
  readonly distribution: Puller;
  readonly containers: ContainerService;
  readonly queries: ContainerQueries;
  readonly data: ContainerData;
  readonly io: ContainerIO;
  readonly exec: ExecService;
  readonly system: SystemService;
  readonly networks: NetworkService;
  readonly volumes: VolumeService;
  /** `network connect|disconnect`: provided by the container side. */
  readonly networking: ContainerNetworking;
  /** Runs build steps in throwaway containers (the builder's only way to run one). */
  readonly runner: ContainerRunner;
  /** `docker build`: the classic builder, its cache under `<data-root>/builder/`. */
  readonly builder: BuildService;
  /** Where build contexts are unpacked (one private directory per build; emptied at start). */
  readonly buildTmpDir: string;
  readonly runtime: RuntimeDriver;
  /** Containers' network namespaces (network/sandboxes.ts). */
  readonly sandboxes: Sandboxes;
  /** Operations in flight that a crash could leave half done; read back by recovery.ts. */
  readonly journal: Journal;
  /** Containers' id-mapped mounts (a Berth extension): staged before their start. */
  private readonly idmap: IdmapMounts;

  constructor(readonly options: EngineOptions) {
    const { dataRoot, execRoot } = options;
    this.runtime = options.runtime ?? new ConmonRunc({ execRoot });
    this.content = new ContentStore(`${dataRoot}/content`);
    this.layers = new LayerStore(`${dataRoot}/layers`);
    this.journal = new Journal(`${dataRoot}/intents`);
    this.volumes = new VolumeService({ dataRoot, events: this.events });
    this.networks = new NetworkService({ dataRoot, defaults: options.network ?? networkDefaults({}), events: this.events });
    this.images = new ImageService({
      dataRoot,
      content: this.content,
      layers: this.layers,
      events: this.events,
      isImageInUse: (imageId) => this.imageUser(imageId),
      imageUsers: (imageId) => this.containers.usersOfImage(imageId).length,
      containersReleased: () => this.containers.released(),
      heldLayers: () => this.containers.store.all().map((c) => c.imageChainId),
      journal: this.journal,
      bootstrapCacheDir: options.bootstrapCacheDir,
      registry: options.registry,
    });
    this.distribution = new Puller(this.images, options.registry ?? {});
    this.idmap = new IdmapMounts({ execRoot, volumePath: (name) => this.volumes.mountpoint(name) });
    const net = this.networks.defaults;
    this.sandboxes = new Sandboxes({
      netavark: new Netavark({ configDir: `${execRoot}/netavark`, firewall: net.iptables }),
      netns: new NetnsDir(`${execRoot}/netns`),
      ports: new HostPortReservations(),
      networkById: (id) => this.networks.get(id),
      // The administrator's chain stays ahead of the FORWARD rules netavark adds with a network's first container.
      onFirstSetup: async () => {
        if (net.iptables) await ensureAdminChain();
      },
      afterBridgeGone: async () => {
        if (net.iptables) await repairIsolation();
      },
      poolNetwork: () => (net.bridgeDisabled ? undefined : this.networks.defaultBridge()),
    });
    this.containers = new ContainerService({
      networking: {
        networks: this.networks,
        sandboxes: this.sandboxes,
        dns: { servers: net.dns, search: net.dnsSearch, options: net.dnsOptions },
        hostGatewayIp: net.hostGatewayIp,
      },
      dataRoot,
      execRoot,
      runtime: this.runtime,
      images: this.images,
      events: this.events,
      hostCpus: os.cpus().length,
      initPath: options.initPath ?? '/usr/bin/catatonit',
      host: options.host ?? seccompHost(),
      defaults: options.defaults,
      journal: this.journal,
      volumes: this.volumes,
      resources: [this.idmap],
    });
    this.volumes.useContainers(this.containers.volumeUsers!);
    const connections = this.containers.connections!;
    this.networking = connections;
    this.networks.useContainers({
      endpointsOn: (id) => connections.endpointsOn(id),
      // A network removed (or pruned) under a created container, as dockerd allows: the sandbox made ahead of its start goes first.
      settle: async (id) => {
        for (const c of connections.preparedOn(id)) await this.containers.invalidatePrepared(c);
        await this.sandboxes.settled();
      },
    });
    // The layers a removed container held are reclaimed once its image is gone too (after rmi -f).
    this.events.subscribe((e) => {
      if (e.Type === 'container' && e.Action === 'destroy') this.images.containerRemoved();
      if (e.Type === 'network' && e.Action === 'destroy') this.sandboxes.dropNetwork(e.Actor.ID);
    });
    this.exec = new ExecService(this.containers, this.runtime, this.events);
    this.containers.health = new HealthMonitor({
      probe: (id, cmd, timeoutMs) => this.exec.probe(id, cmd, timeoutMs),
      save: (record) => this.containers.store.saveState(record),
      events: this.events,
      eventAttributes: (record) => this.containers.eventAttributes(record),
    });
    this.queries = new ContainerQueries(this.containers, this.images, this.exec, this.runtime, dataRoot);
    this.data = new ContainerData(this.containers, this.images, this.layers, this.runtime, this.events);
    this.io = new ContainerIO(this.containers, this.data, this.runtime, this.events);
    this.system = new SystemService({
      dataRoot,
      containerStatuses: () => this.containers.store.all().map((c) => c.state.status),
      imageCount: () => this.images.count(),
      runtimeCommit: async () => this.runtime.commit?.(),
      containerUsage: () => this.queries.list({ all: true, size: true, filters: new Map() }),
      imageUsage: () => this.images.df(),
      volumeUsage: async () => (await this.volumes.usage()).map((u) => toWireVolumeUsage(u, this.volumes.mountpoint(u.record.name))),
      buildCacheUsage: async () => (await this.builder.usage()).map(toWireBuildCache),
      registryConfig: () => ({ ...registryInfo(options.registry ?? {}) }),
    });
    this.runner = new ServiceContainerRunner({
      containers: this.containers,
      io: this.io,
      data: this.data,
      layers: this.layers,
      rootfs: {
        mount: async (ref) => {
          const record = this.containers.store.resolve(ref);
          await this.containers.layout.mountRootfs(record);
          return this.containers.paths(record.id).merged;
        },
        layers: (ref) => {
          const record = this.containers.store.resolve(ref);
          return { upper: this.containers.paths(record.id).upper, lowerDirs: this.containers.layout.lowerDirs(record), imageChainId: record.imageChainId };
        },
      },
    });
    this.buildTmpDir = `${dataRoot}/builder/tmp`;
    this.builder = new Builder({
      images: this.images,
      runner: this.runner,
      copier: new FileCopier({ tmpDir: this.buildTmpDir }),
      dataRoot,
      pull: (ref, o, progress) => this.distribution.pull({ fromImage: ref, platform: o.platform, auth: o.auth ? authConfigFrom(o.auth) : undefined }, progress),
    });
  }

  /** A build's context (engine/build/context.ts), unpacked under the builder's tmp dir. */
  openBuildContext(source: ContextSource, options: Omit<OpenContextOptions, 'tmpDir'> = {}): Promise<BuildContext> {
    return openBuildContext(source, { ...options, tmpDir: this.buildTmpDir });
  }

  private imageUser(imageId: string): { id: string; running: boolean } | undefined {
    const users = this.containers.usersOfImage(imageId);
    const running = users.find((c) => isActive(c.state.status));
    const first = running ?? users[0];
    return first ? { id: first.id, running: Boolean(running) } : undefined;
  }

  /** Let work that outlives its request (releasing removed containers) finish. */
  async close(): Promise<void> {
    await this.containers.close();
    await this.sandboxes.close();
    if (this.networks.defaults.iptables) await removeUnusedAdminChain().catch((err) => log.warn('could not remove the BERTH-USER chain', { err: (err as Error).message }));
  }

  /** Prepare directories, then recover from whatever a crash left (recovery.ts, the one start-up routine). */
  async open(): Promise<void> {
    const { dataRoot, execRoot } = this.options;
    await ensurePrivateRoots(dataRoot, execRoot);
    // Contexts of builds a crash or restart cut short.
    await fs.rm(this.buildTmpDir, { recursive: true, force: true });
    await fs.mkdir(this.buildTmpDir, { recursive: true, mode: 0o700 });
    // Staging mounts a crash left between a container's spec and its start.
    this.idmap.sweep();
    // Before containers are re-adopted: their endpoints name these networks.
    await this.networks.load();
    await this.volumes.load();
    await recover({ images: this.images, containers: this.containers, runtime: this.runtime, journal: this.journal });
    // After re-adoption: what a crash left mounted and no live container took over is unmounted.
    await this.volumes.settle();
  }
}
