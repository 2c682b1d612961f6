/**
 * Resources a container holds besides its process and rootfs: its network
 * (network-resource.ts: the namespace, its sandbox on the bridge or user
 * networks with published ports, and the generated /etc/hostname, hosts and
 * resolv.conf), and later named volumes. Each is a ContainerResource; the lifecycle calls every
 * resource at the same points, in the order they are listed, so adding one
 * touches no verb of the container service (moby does this in
 * `daemon/container_operations.go`, podman in `libpod/container_internal.go`).
 *
 * Lifecycle, as the container service calls it:
 * - `create`: while the container is laid out, before its record is saved.
 *   A failure fails the create (everything made so far is torn down).
 * - `spec`: when the runtime spec is assembled, at create for a container
 *   whose runtime container is prepared ahead, else at start. What it
 *   returns goes into the spec. A failure fails the start (not a prepared
 *   create: that start assembles the spec again and reports it).
 * - `start`: right before the process is let go. A failure fails the start.
 * - `exit`: once the process has ended (or a start failed after `start`).
 * - `remove`: once the record is gone, in the background of the removal.
 * - `readopt`: at daemon start, for a container whose process still lives.
 * `exit`, `remove` and `readopt` are best effort: a failure is logged, the
 * other resources still run.
 */
import type { NetworkNamespace } from '../../drivers/runtime/spec/generate.ts';
import { log } from '../../util/log.ts';
import type { ContainerRecord } from './record.ts';

/**
 * What resources put into a runtime spec. (Mounts are not here: a
 * container's mounts, volumes included, come from one model,
 * `container-mounts.ts`, which a volume resource will resolve names for.)
 */
export interface SpecContribution {
  network?: NetworkNamespace;
  /** Variables added to the process's environment (legacy link variables). */
  env?: string[];
}

export interface ContainerResource {
  readonly name: string;
  create?(record: ContainerRecord): void | Promise<void>;
  spec?(record: ContainerRecord): SpecContribution | Promise<SpecContribution>;
  // A hook with nothing to do for a container may return at once, without a promise (none is awaited then).
  start?(record: ContainerRecord): void | Promise<void>;
  exit?(record: ContainerRecord): void | Promise<void>;
  remove?(record: ContainerRecord): void | Promise<void>;
  readopt?(record: ContainerRecord): void | Promise<void>;
}

/** The resources of every container, called in order. */
export class ContainerResources {
  constructor(private readonly list: readonly ContainerResource[]) {}

  async create(record: ContainerRecord): Promise<void> {
    for (const r of this.list) await r.create?.(record);
  }

  async spec(record: ContainerRecord): Promise<SpecContribution> {
    const parts = await Promise.all(this.list.map((r) => r.spec?.(record)));
    const out: SpecContribution = {};
    for (const part of parts) {
      if (!part) continue;
      if (part.network) out.network = part.network;
      if (part.env) out.env = [...(out.env ?? []), ...part.env];
    }
    return out;
  }

  async start(record: ContainerRecord): Promise<void> {
    for (const r of this.list) {
      const started = r.start?.(record);
      if (started) await started;
    }
  }

  exit(record: ContainerRecord): Promise<void> {
    return this.each('exit', record);
  }

  remove(record: ContainerRecord): Promise<void> {
    return this.each('remove', record);
  }

  readopt(record: ContainerRecord): Promise<void> {
    return this.each('readopt', record);
  }

  private async each(hook: 'exit' | 'remove' | 'readopt', record: ContainerRecord): Promise<void> {
    for (const r of this.list) {
      const warn = (err: unknown) => log.warn(`container resource ${r.name}: ${hook} failed`, { id: record.id, err });
      try {
        const done = r[hook]?.(record);
        if (done) await done.catch(warn);
      } catch (err) {
        warn(err);
      }
    }
  }
}
