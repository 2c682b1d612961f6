/** System-wide facts: version, info, disk usage. */
import os from 'node:os';
import { promises as fs } from 'node:fs';
import type { ContainerSummary } from '../../wire/container.ts';
import type { ImageSummary } from '../../wire/image.ts';
import type { Volume } from '../../wire/volume.ts';
import type { BuildCache } from '../../wire/build.ts';
import type { ContainerStatus } from '../containers/record.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';

export const BERTH_VERSION = '0.1.0';

/**
 * What the system service reads from the other services, handed in by the
 * composition root (so this module depends on none of them, nor on the
 * engine that holds them).
 */
export interface SystemSources {
  dataRoot: string;
  /** The status of every container, for info's counts. */
  containerStatuses(): ContainerStatus[];
  imageCount(): number;
  /** The OCI runtime's commit, when it can tell. */
  runtimeCommit(): Promise<string | undefined>;
  /** Every container's summary with its sizes, for df. */
  containerUsage(): Promise<ContainerSummary[]>;
  /** The images (top-level, with their use counts) and the layers' total size, for df. */
  imageUsage(): { layersSize: number; images: ImageSummary[] };
  /** The volumes `system df` counts, with their UsageData. */
  volumeUsage(): Promise<Volume[]>;
  /** The build cache's records (wire BuildCache, API 1.43 shape), for df. */
  buildCacheUsage?(): Promise<BuildCache[]>;
  /** `RegistryConfig` (insecure registries, mirrors), from the daemon's registry settings. */
  registryConfig?(): Record<string, unknown>;
}

/** What `system df` reports on (`?type=`, API ≥ 1.42); absent: everything. */
export type DiskUsageObject = 'container' | 'image' | 'volume' | 'build-cache';

export class SystemService {
  private readonly started = Date.now();

  constructor(private readonly sources: SystemSources) {}

  version() {
    return {
      Platform: { Name: 'Berth Engine' },
      Components: [] as Array<{ Name: string; Version: string; Details?: Record<string, string> }>,
      Version: BERTH_VERSION,
      GitCommit: 'berth',
      GoVersion: `node${process.versions.node}`,
      Os: 'linux',
      Arch: goArch(process.arch),
      KernelVersion: os.release(),
      BuildTime: new Date(this.started).toISOString(),
    };
  }

  async info() {
    const statuses = this.sources.containerStatuses();
    const count = (s: ContainerStatus) => statuses.filter((status) => status === s).length;
    const cgroupVersion = await fs.access('/sys/fs/cgroup/cgroup.controllers').then(
      () => '2',
      () => '1',
    );
    const runcCommit = (await this.sources.runtimeCommit()) ?? '';
    return {
      ID: await this.daemonId(),
      Containers: statuses.length,
      ContainersRunning: count('running'),
      ContainersPaused: count('paused'),
      ContainersStopped: statuses.length - count('running') - count('paused'),
      Images: this.sources.imageCount(),
      Driver: 'overlay2',
      DriverStatus: [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true'], ['Native Overlay Diff', 'true']],
      Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null'], Authorization: null, Log: ['json-file', 'local'] },
      MemoryLimit: true,
      SwapLimit: true,
      KernelMemory: false,
      KernelMemoryTCP: false,
      CpuCfsPeriod: true,
      CpuCfsQuota: true,
      CPUShares: true,
      CPUSet: true,
      PidsLimit: true,
      IPv4Forwarding: true,
      BridgeNfIptables: true,
      BridgeNfIp6tables: true,
      Debug: false,
      NFd: 0,
      OomKillDisable: true,
      NGoroutines: 0,
      SystemTime: nowRfc3339Nano(),
      LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs',
      CgroupVersion: cgroupVersion,
      NEventsListener: 0,
      KernelVersion: os.release(),
      OperatingSystem: await osName(),
      OSVersion: '',
      OSType: 'linux',
      Architecture: os.machine(),
      IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: this.sources.registryConfig?.() ?? { AllowNondistributableArtifactsCIDRs: [], AllowNondistributableArtifactsHostnames: [], InsecureRegistryCIDRs: ['127.0.0.0/8'], IndexConfigs: {}, Mirrors: [] },
      NCPU: os.cpus().length,
      MemTotal: os.totalmem(),
      GenericResources: null,
      DockerRootDir: this.sources.dataRoot,
      HttpProxy: '',
      HttpsProxy: '',
      NoProxy: '',
      Name: os.hostname(),
      Labels: [],
      ExperimentalBuild: false,
      ServerVersion: BERTH_VERSION,
      Runtimes: { runc: { path: 'runc' } },
      DefaultRuntime: 'runc',
      Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
      LiveRestoreEnabled: true,
      Isolation: '',
      InitBinary: 'catatonit',
      ContainerdCommit: { ID: '', Expected: '' },
      RuncCommit: { ID: runcCommit, Expected: runcCommit },
      InitCommit: { ID: '', Expected: '' },
      SecurityOptions: ['name=seccomp,profile=builtin'],
      Warnings: [] as string[],
    };
  }

  /**
   * `GET /system/df`: what containers, images, volumes and the build cache
   * take. With `types`, as dockerd: only those are computed,
   * the others are null, and LayersSize (omitted when 0) comes with images.
   */
  async dataUsage(types?: ReadonlySet<DiskUsageObject>) {
    const want = (t: DiskUsageObject) => !types || types.has(t);
    const images = want('image') ? this.sources.imageUsage() : undefined;
    const out: { LayersSize?: number; Images: ImageSummary[] | null; Containers: ContainerSummary[] | null; Volumes: Volume[] | null; BuildCache: BuildCache[] | null } = {
      Images: images?.images ?? null,
      Containers: want('container') ? await this.sources.containerUsage() : null,
      Volumes: want('volume') ? await this.sources.volumeUsage() : null,
      BuildCache: want('build-cache') ? ((await this.sources.buildCacheUsage?.()) ?? []) : null,
    };
    if (!types) return { LayersSize: images!.layersSize, ...out };
    return images && images.layersSize !== 0 ? { LayersSize: images.layersSize, ...out } : out;
  }

  private async daemonId(): Promise<string> {
    const file = `${this.sources.dataRoot}/engine-id`;
    try {
      return (await fs.readFile(file, 'utf8')).trim();
    } catch {
      const id = crypto.randomUUID();
      await fs.writeFile(file, id);
      return id;
    }
  }
}

function goArch(arch: string): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}

async function osName(): Promise<string> {
  const text = await fs.readFile('/etc/os-release', 'utf8').catch(() => '');
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text);
  return m?.[1] ?? 'Linux';
}
