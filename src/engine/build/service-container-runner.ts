/**
 * The ContainerRunner (container-runner.ts) over the engine's container
 * services, through their public operations only: the same create, start,
 * wait, logs, commit and remove that `docker run` and `docker commit` use,
 * so a build step's container is an ordinary container (events, `docker ps`
 * while it runs) as with dockerd's builder.
 */
import { promises as fs } from 'node:fs';
import type { ChainId, Digest } from '../../oci/digest.ts';
import type { LayerRecord, LayerStore } from '../../store/layers/layer-store.ts';
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import type { CommitStepOptions, ContainerRunner, OutputSink, RunStepOptions } from './container-runner.ts';
import { stripMountPoints } from './strip-mount-points.ts';

/** The operations used, as the container services offer them. */
export interface RunnerServices {
  containers: {
    create(request: { config: ContainerConfig; hostConfig?: HostConfig }): Promise<{ Id: string }>;
    start(ref: string): Promise<void>;
    wait(ref: string, condition: 'next-exit'): Promise<{ StatusCode: number }>;
    remove(ref: string, options: { force: boolean; volumes: boolean }): Promise<void>;
  };
  io: {
    attach(
      ref: string,
      options: { stdin: false; stdout: boolean; stderr: boolean; logs: false; stream: true; signal: AbortSignal },
    ): Promise<{ output: AsyncIterable<{ stream: 'stdout' | 'stderr'; line: Buffer }> }>;
  };
  data: {
    commit(ref: string, options: { pause: boolean; config?: Record<string, unknown>; comment?: string; author?: string }): Promise<Digest>;
  };
  /** A container's layers on disk (the container side's layout). */
  rootfs: {
    /** Mounts the rootfs unless mounted (it stays until the container's removal); answers its path. */
    mount(ref: string): Promise<string>;
    /** The writable layer, the read-only layers under it (top first) and the image's top layer. */
    layers(ref: string): { upper: string; lowerDirs: string[]; imageChainId: string };
  };
  layers: LayerStore;
}

export class ServiceContainerRunner implements ContainerRunner {
  constructor(private readonly s: RunnerServices) {}

  async create(options: RunStepOptions): Promise<string> {
    const { Id } = await this.s.containers.create({ config: { ...options.config, Image: options.image }, hostConfig: options.hostConfig });
    return Id;
  }

  async run(id: string, output: OutputSink, signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    const reading = new AbortController();
    const stop = (): void => reading.abort();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      // Both before the start: the exit and the first byte written cannot be missed.
      const exit = this.s.containers.wait(id, 'next-exit');
      exit.catch(() => undefined); // awaited below, unless the start fails first
      const { output: entries } = await this.s.io.attach(id, { stdin: false, stdout: true, stderr: true, logs: false, stream: true, signal: reading.signal });
      const delivering = (async () => {
        for await (const entry of entries) await output({ stream: entry.stream, data: entry.line });
      })();
      try {
        await this.s.containers.start(id);
      } catch (err) {
        reading.abort();
        await delivering.catch(() => undefined); // the start's error is the one to report
        throw err;
      }
      // The log ends at the exit, after the monitor wrote the last bytes; then the code is known.
      await delivering;
      signal?.throwIfAborted();
      return (await exit).StatusCode;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  commit(id: string, options: CommitStepOptions = {}): Promise<Digest> {
    // The container has exited: nothing to pause.
    return this.s.data.commit(id, { pause: false, config: options.config ? { ...options.config } : undefined, comment: options.comment, author: options.author });
  }

  async withRootfs<T>(id: string, fn: (rootfs: string) => Promise<T>): Promise<T> {
    return fn(await this.s.rootfs.mount(id));
  }

  async layer(id: string, options: { mountPoints?: readonly string[] } = {}): Promise<LayerRecord | undefined> {
    const { upper, lowerDirs, imageChainId } = this.s.rootfs.layers(id);
    if (options.mountPoints?.length) await stripMountPoints(this.s.layers.sys, upper, lowerDirs, options.mountPoints);
    // dockerd adds no layer for a step that changed nothing (an empty layer in the history only).
    if ((await fs.readdir(upper)).length === 0) return undefined;
    return this.s.layers.unpack(this.s.layers.diffTar(upper), (imageChainId || undefined) as ChainId | undefined);
  }

  remove(id: string): Promise<void> {
    // With its anonymous volumes (an image's VOLUME), as dockerd's builder removes its containers.
    return this.s.containers.remove(id, { force: true, volumes: true });
  }
}
