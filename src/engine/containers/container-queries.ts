/**
 * Read-only views of containers: inspect, list, sizes, an exec's output.
 * Nothing here changes state (a container's streams are in container-io.ts).
 */
import { promises as fs } from 'node:fs';
import type { RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import type { ExecService } from '../exec/exec-service.ts';
import type { ImageService } from '../images/image-service.ts';
import type { ContainerService } from './container-service.ts';
import { notRunning } from './errors.ts';
import { selectContainers } from './filters.ts';
import { ZERO_TIME, type ContainerRecord } from './record.ts';
import { toWireInspect, toWireSummary } from './to-wire.ts';
import { isActive } from './state-machine.ts';
import { networkSettings, summaryNetworks } from './network-settings.ts';

export class ContainerQueries {
  constructor(
    private readonly containers: ContainerService,
    private readonly images: ImageService,
    private readonly exec: ExecService,
    private readonly runtime: RuntimeDriver,
    private readonly dataRoot: string,
  ) {}

  async inspect(ref: string, options: { size?: boolean } = {}) {
    const record = this.containers.store.resolve(ref);
    const sizes = options.size ? await this.sizes(record) : {};
    return toWireInspect(record, {
      dataRoot: this.dataRoot,
      lowerDirs: this.containers.layout.lowerDirs(record),
      execIds: this.exec.idsOf(record.id),
      networkSettings: this.networkSettings(record),
      etcFilesOf: this.etcFilesOf(record),
      ...sizes,
    });
  }

  /**
   * dockerd's HostsPath, ResolvConfPath and HostnamePath of a container that
   * joins another one's network (initializeNetworkingPaths): none before its
   * first start, then the joined container's (as its start binds them).
   */
  private etcFilesOf(record: ContainerRecord): string | undefined {
    const mode = record.hostConfig.NetworkMode ?? '';
    if (!mode.startsWith('container:')) return undefined;
    if (record.state.startedAt === ZERO_TIME) return '';
    return this.containers.store.find(mode.slice('container:'.length))?.id ?? record.id;
  }

  async list(options: { all: boolean; limit?: number; size: boolean; filters: Map<string, string[]> }) {
    const records = selectContainers(this.containers.store.all(), {
      ...options,
      imageIdOf: (ref) => this.images.findId(ref),
      containerOf: (ref) => this.containers.store.resolve(ref),
    });
    const now = Date.now();
    return Promise.all(
      records.map(async (r) =>
        toWireSummary(r, { ...summaryNetworks(r), now, ...(options.size ? await this.sizes(r) : {}) }),
      ),
    );
  }

  /** Docker's NetworkSettings (network-settings.ts). */
  networkSettings(record: ContainerRecord): Record<string, unknown> {
    return networkSettings(record);
  }

  /** SizeRw (the writable layer) and SizeRootFs (it plus the image). */
  async sizes(record: ContainerRecord): Promise<{ sizeRw: number; sizeRootFs: number }> {
    const sizeRw = await duBytes(this.containers.paths(record.id).upper);
    return { sizeRw, sizeRootFs: sizeRw + this.images.sizeOf(record.image) };
  }

  /** Output of an attached exec, from its log until it exits. */
  async pids(ref: string): Promise<number[]> {
    const record = this.containers.store.resolve(ref);
    if (!isActive(record.state.status)) {
      throw notRunning(record.id);
    }
    return this.runtime.pids(record.id);
  }
}

/** Apparent size of a directory tree in bytes (what `docker ps -s` reports). */
export async function duBytes(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) total += (await fs.lstat(p)).size;
    }
  };
  await walk(dir);
  return total;
}
