/**
 * Resources a container holds besides its process and rootfs: its network
 * (network-resource.ts: the namespace, its sandbox on the bridge or user
 * networks with published ports, and the generated /etc/hostname, hosts and
 * resolv.conf), and its volumes (volume-resource.ts). Each is a ContainerResource; the lifecycle calls every
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
 * - `removed`: once the record is gone, before the removal is answered (and
 *   when a create fails, with `volumes`); `volumes` says whether the
 *   container's anonymous volumes go too (`rm -v`, `--rm`). Returns
 *   undefined when it has nothing to do (no await on the hot path).
 * - `remove`: once the record is gone, in the background of the removal.
 * - `readopt`: at daemon start, for a container whose process still lives.
 * `exit`, `remove` and `readopt` are best effort: a failure is logged, the
 * other resources still run.
 */
import type { NetworkNamespace } from '../../drivers/runtime/spec/generate.ts';
import { log } from '../../util/log.ts';
import { allSettledOrThrow } from '../../util/settle.ts';
import type { ContainerRecord } from './record.ts';

/**
 * What resources put into a runtime spec. (Mounts are not here: a
 * container's mounts, volumes included, come from one model,
 * `container-mounts.ts`; a resource may only say where a mount's content is
 * on the host, `mountSources`.)
 */
export interface SpecContribution {
  network?: NetworkNamespace;
  /** Variables added to the process's environment (legacy link variables). */
  env?: string[];
  /** Host paths to bind at these destinations instead of the mount model's source (a volume's, as its service mounted it). */
  mountSources?: Record<string, string>;
  /** The /etc/hostname, /etc/hosts and /etc/resolv.conf to bind instead of the container's own (those of the container whose network it joins). */
  etcFiles?: { hostname: string; hosts: string; resolvConf: string };
}

export interface ContainerResource {
  readonly name: string;
  create?(record: ContainerRecord): void | Promise<void>;
  spec?(record: ContainerRecord): SpecContribution | Promise<SpecContribution>;
  /** May return nothing when it has nothing to do (no await on the start path). */
  start?(record: ContainerRecord): Promise<void> | void;
  exit?(record: ContainerRecord): void | Promise<void>;
  removed?(record: ContainerRecord, options: { volumes: boolean }): Promise<void> | undefined;
  remove?(record: ContainerRecord): void | Promise<void>;
  readopt?(record: ContainerRecord): void | Promise<void>;
}

/** The resources of every container, called in order. */
export class ContainerResources {
  constructor(private readonly list: readonly ContainerResource[]) {}

  async create(record: ContainerRecord): Promise<void> {
    for (const r of this.list) {
      const pending = r.create?.(record);
      if (pending) await pending;
    }
  }

  async spec(record: ContainerRecord): Promise<SpecContribution> {
    // All settle before a failure is thrown: a sandbox set up while a volume failed to mount lands on the record first, so the clean-up undoes it.
    const parts = await allSettledOrThrow(this.list.map((r) => r.spec?.(record)));
    const out: SpecContribution = {};
    for (const part of parts) {
      if (!part) continue;
      if (part.network) out.network = part.network;
      if (part.env) out.env = [...(out.env ?? []), ...part.env];
      if (part.mountSources) out.mountSources = { ...out.mountSources, ...part.mountSources };
      if (part.etcFiles) out.etcFiles = part.etcFiles;
    }
    return out;
  }

  async start(record: ContainerRecord): Promise<void> {
    for (const r of this.list) {
      const pending = r.start?.(record);
      if (pending) await pending;
    }
  }

  exit(record: ContainerRecord): Promise<void> {
    return this.each('exit', record);
  }

  /** Undefined when no resource has anything to do. Best effort, as `remove`. */
  removed(record: ContainerRecord, options: { volumes: boolean }): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    for (const r of this.list) {
      const p = r.removed?.(record, options);
      if (p) (pending ??= []).push(p.catch((err: unknown) => log.warn(`container resource ${r.name}: removed failed`, { id: record.id, err })));
    }
    return pending && Promise.all(pending).then(() => undefined);
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
