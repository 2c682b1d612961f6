/**
 * The one place the API meets the engine: each resource's routes get the
 * narrow backend their route file declares, cut here from the engine's
 * services (moby's daemon implements its routers' backends the same way).
 */
import type { Engine } from '../engine/engine.ts';
import type { ContainerBackend } from './routes/containers.ts';
import type { ContainerDataBackend } from './routes/container-data.ts';
import type { ExecBackend } from './routes/exec.ts';
import { openExecSession, startDetachedExec } from '../engine/exec/exec-session.ts';
import type { ImageBackend } from './routes/images.ts';
import type { DistributionBackend } from './routes/distribution.ts';
import { distributionInspect } from '../engine/distribution/inspect.ts';
import type { SystemBackend } from './routes/system.ts';
import type { NetworkBackend } from './routes/networks.ts';
import type { VolumeBackend } from './routes/volumes.ts';
import { toWireVolume } from '../engine/volumes/to-wire.ts';
import type { BuildBackend } from './routes/build.ts';

export interface Backends {
  system: SystemBackend;
  containers: ContainerBackend;
  containerData: ContainerDataBackend;
  exec: ExecBackend;
  images: ImageBackend;
  distribution: DistributionBackend;
  networks: NetworkBackend;
  volumes: VolumeBackend;
  build: BuildBackend;
}

export function engineBackends(engine: Engine): Backends {
  const { containers, queries, io, data, exec, images, system, events, networks, networking, volumes } = engine;
  const wireVolume = (record: Parameters<typeof toWireVolume>[0]) => toWireVolume(record, volumes.mountpoint(record.name));
  return {
    system: {
      version: () => system.version(),
      info: () => system.info(),
      dataUsage: (types) => system.dataUsage(types),
      subscribe: (listener) => events.subscribe(listener),
      login: (auth) => images.login(auth),
    },
    containers: {
      create: (request) => containers.create(request),
      start: (ref) => containers.start(ref),
      stop: (ref, options) => containers.stop(ref, options),
      restart: (ref, options) => containers.restart(ref, options),
      kill: (ref, signal) => containers.kill(ref, signal),
      pause: (ref) => containers.pause(ref),
      unpause: (ref) => containers.unpause(ref),
      remove: (ref, options) => containers.remove(ref, options),
      rename: (ref, name) => containers.rename(ref, name),
      removeLink: (name) => containers.removeLink(name),
      update: (ref, changes) => containers.update(ref, changes),
      list: (options) => queries.list(options),
      inspect: (ref, options) => queries.inspect(ref, options),
      attach: (ref, options) => io.attach(ref, options),
      resize: (ref, height, width) => io.resize(ref, height, width),
      wait: (ref, condition, signal) => io.wait(ref, condition, signal),
    },
    containerData: {
      logs: (ref, options) => io.logs(ref, options),
      stats: (ref, options) => io.stats(ref, options),
      statsStream: (ref, signal) => io.statsStream(ref, signal),
      top: (ref, psArgs) => data.top(ref, psArgs),
      changes: (ref) => data.changes(ref),
      export: (ref, signal) => data.export(ref, signal),
      statPath: (ref, path) => data.statPath(ref, path),
      archivePath: (ref, path, signal) => data.archivePath(ref, path, signal),
      extract: (ref, path, content, options) => data.extract(ref, path, content, options),
      commit: (ref, options) => data.commit(ref, options),
      prune: (filters) => data.prune(filters),
    },
    exec: {
      create: (containerRef, config) => exec.create(containerRef, config),
      get: (id) => exec.get(id),
      resize: (id, height, width) => exec.resize(id, height, width),
      startDetached: (id) => startDetachedExec(exec, id),
      startAttached: (id, options) => openExecSession(exec, id, options),
      inspect: (id) => exec.toWire(exec.get(id)),
    },
    // The image service is the whole backend of the image routes.
    distribution: { inspect: (name, auth) => distributionInspect(engine.distribution, name, auth) },
    images: Object.assign(Object.create(images) as typeof images, { pull: engine.distribution.pull.bind(engine.distribution) }),
    networks: {
      list: (filters) => networks.listWire(filters),
      inspect: (ref, options) => networks.inspect(ref, options),
      create: (request) => networks.create(request),
      remove: (ref) => networks.remove(ref),
      prune: (filters) => networks.prune(filters),
      connect: (networkRef, containerRef, endpointConfig) => networking.connect(networkRef, containerRef, endpointConfig),
      disconnect: (networkRef, containerRef, force) => networking.disconnect(networkRef, containerRef, force),
    },
    volumes: {
      list: (filters) => volumes.list(filters).map(wireVolume),
      inspect: (name) => wireVolume(volumes.inspect(name)),
      create: async (request) => wireVolume(await volumes.create(request)),
      remove: (name, options) => volumes.remove(name, options),
      prune: (filters) => volumes.prune(filters),
    },
    build: {
      openContext: (source, options) => engine.openBuildContext(source, options),
      build: (context, options, progress, signal) => engine.builder.build(context, options, progress, signal),
      prune: (options) => engine.builder.prune(options),
    },
  };
}
