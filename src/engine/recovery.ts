/**
 * Start-up recovery: the ONE routine that brings the stores and the
 * runtime back to a consistent state after whatever a crash (`kill -9` of
 * berthd at any instant) left, run by Engine.open() before the API serves.
 * Nothing else reconciles at start; each step says which interrupted
 * operations it recovers and how.
 *
 * 1. Blobs, layers, image records (ImageService.reconcile):
 *    - a blob being written (load, import, commit, pull): its ingest file
 *      is removed; a blob in `content/sha256` is always complete (renamed
 *      into place after its digest matched);
 *    - a layer being unpacked: its temp dir, or a layer dir without
 *      `layer.json` (written last), is removed;
 *    - an image record whose config blob or layers are missing is dropped,
 *      with its tags (records are written after their blobs, so only a
 *      store damaged by hand has one).
 * 2. Container records (ContainerStore.load):
 *    - a record holding a value the docker CLI cannot decode (written by
 *      an older berthd, or by hand: `Labels {"a":5}`, `Memory 1e308`,
 *      `ConsoleSize [-1,-1]` …) is repaired before it is indexed
 *      (containers/record-repair.ts: the offending field, map entry or
 *      array element removed, so Go reads its zero value), saved, and
 *      each removal is logged as a warning naming the container and the
 *      field: one bad record never breaks `docker ps` or `inspect`;
 *    - create: the record is written last, so a create cut short leaves a
 *      directory without a record, which is torn down (mount, runtime
 *      container, files) and its name is free again;
 *    - rm: the record is deleted first, so a removal cut short leaves the
 *      same, torn down the same way: the container is fully gone;
 *    - rename: one atomic record write; the name index is rebuilt from the
 *      records, so the container has its old name or its new one.
 * 3. Operations in flight, from the journal (store/journal.ts; what each
 *    notes is in intents.ts), each finished or rolled back, then forgotten:
 *    - commit: the container the daemon paused for it (noted before the
 *      pause) is thawed if it is still frozen;
 *    - commit, import, one image of a load: if the image's record was
 *      written, it gets the tags it was to get (finished: no dangling image
 *      the user did not ask for); if not, the layers unpacked for it that no
 *      image or container uses are removed (rolled back); blobs that a cut
 *      load or import wrote and nothing references go in the sweep below;
 *    - rmi: an image it had untagged but not yet deleted is deleted, and
 *      the image's layers that nothing uses any more are removed (finished:
 *      the image is fully there, or fully gone);
 *    - update: the runtime may already hold the new limits while the record
 *      holds the old ones, so a live container's cgroup is set back to
 *      what its record says.
 *    Then the content sweep (images/reclaim.ts): config blobs, layer tars
 *    and unpacked layers that no image or container references (left by a
 *    cut rmi, load or import) are deleted.
 * 4. Containers re-adopted (containers/readopt.ts):
 *    - start: the running state is saved while runc lets the process go;
 *      a record saying running whose process is gone is finished as exited
 *      with the monitor's exit code (255 if none), a runtime container
 *      left without a running record (prepared, or a start cut short) is
 *      deleted; a live process is watched again;
 *    - pause/unpause: one runc call and one state write; the state the
 *      runtime reports is taken;
 *    - restart by policy: a container waiting for its restart timer is
 *      exited, and step 5 decides again.
 * 5. Containers started by their restart policy (`always`,
 *    `unless-stopped`), as dockerd does at its start.
 *
 * Operations that change no state need nothing: export and `docker cp`
 * read the mounted rootfs (export does not pause), save streams records
 * and blobs. A tag is one atomic write of `repositories.json`.
 */
import type { ChainId } from '../oci/digest.ts';
import type { RuntimeDriver } from '../drivers/runtime/runtime.ts';
import type { Journal } from '../store/journal.ts';
import { asError } from '../util/errors.ts';
import { log } from '../util/log.ts';
import type { ContainerService } from './containers/container-service.ts';
import { recordedResources } from './containers/container-update.ts';
import { repairRecord } from './containers/record-repair.ts';
import { isActive } from './containers/state-machine.ts';
import type { ImageService } from './images/image-service.ts';
import type { ImageIntent, OperationIntent, RemoveImageIntent, UpdateIntent } from './intents.ts';

export interface RecoveryParts {
  images: ImageService;
  containers: ContainerService;
  runtime: RuntimeDriver;
  journal: Journal;
}

/** Run every step of start-up recovery, in order (see the header). */
export async function recover(parts: RecoveryParts): Promise<void> {
  const { images, containers } = parts;
  await images.reconcile();
  await loadContainers(containers);
  for (const intent of await parts.journal.pending()) {
    const body = intent.body as unknown as OperationIntent;
    try {
      await finishOrRollBack(parts, body);
      await intent.end();
    } catch (err) {
      // Kept: the next start tries again; this one goes on.
      log.warn('could not recover an interrupted operation', { intent: body, err: asError(err).message });
    }
  }
  // After the containers are loaded (they hold layers) and the journal is done (it may drop images).
  await images.sweep();
  // Before re-adoption: running containers keep their sandboxes' addresses and ports, every other sandbox goes.
  await containers.network.recover(containers.store.all(), (record) => containers.store.saveState(record));
  await readoptContainers(containers);
  await containers.startByPolicy();
}

/** Step 2: container records loaded; the remains of a create or rm cut short torn down. */
export async function loadContainers(containers: ContainerService): Promise<void> {
  const { orphans } = await containers.store.load(async (record, id) => {
    const fixed = record.id === id ? [] : ['Id'];
    record.id = id;
    fixed.push(...repairRecord(record));
    if (fixed.length === 0) return;
    for (const field of fixed) log.warn('repaired a container record: removed a value the docker CLI cannot decode', { id, field });
    await containers.store.save(record).catch((err) => log.warn('could not save a repaired container record', { id, err: asError(err).message }));
  });
  for (const id of orphans) {
    log.info('removing the remains of a container without a record', { id });
    await containers.releaseOrphan(id);
  }
}

/** Step 4: every container taken up again from its record and the runtime. */
export async function readoptContainers(containers: ContainerService): Promise<void> {
  for (const record of containers.store.all()) {
    await containers.readopt(record).catch((err) => log.warn('could not re-adopt container', { id: record.id, err }));
  }
}

function finishOrRollBack(parts: RecoveryParts, body: OperationIntent): Promise<void> {
  log.info('recovering an interrupted operation', { intent: body });
  switch (body.kind) {
    case 'image':
      return recoverImage(parts, body);
    case 'rmi':
      return recoverRemoval(parts, body);
    case 'update':
      return recoverUpdate(parts, body);
    default:
      log.warn('unknown interrupted operation', { intent: body as unknown });
      return Promise.resolve();
  }
}

async function recoverImage(parts: RecoveryParts, body: ImageIntent): Promise<void> {
  const { images, containers, runtime } = parts;
  if (body.pausedContainer) {
    const id = body.pausedContainer;
    const state = await runtime.state(id).catch(() => undefined);
    // The user's own pause is recorded in the container's state; only the daemon's is undone.
    if (state?.status === 'paused' && containers.store.get(id)?.state.status !== 'paused') {
      log.info('thawing a container paused for a commit cut short', { id });
      await runtime.resume(id);
    }
  }
  const image = body.imageId ? images.get(body.imageId) : undefined;
  if (image) {
    for (const ref of body.refs) {
      if (images.store.refs.get(ref) !== image.record.id) await images.addReference(ref, image.record.id, { quiet: true });
    }
    return;
  }
  await removeUnusedLayers(parts, body.layers ?? []);
}

async function recoverRemoval(parts: RecoveryParts, body: RemoveImageIntent): Promise<void> {
  const { images } = parts;
  const image = images.get(body.imageId);
  // Untagged by the cut rmi (or untagged before it, and removed by ID): finish the removal.
  if (image && images.store.refsOf(body.imageId).length === 0 && images.children(body.imageId).length === 0) {
    await images.remove(body.imageId, { force: body.force }).catch((err) => log.warn('could not finish removing an image', { id: body.imageId, err: asError(err).message }));
  }
  await removeUnusedLayers(parts, body.layers);
}

async function recoverUpdate(parts: RecoveryParts, body: UpdateIntent): Promise<void> {
  const record = parts.containers.store.get(body.containerId);
  if (!record || !isActive(record.state.status)) return;
  const state = await parts.runtime.state(record.id).catch(() => undefined);
  if (state?.status !== 'running' && state?.status !== 'paused') return;
  await parts.runtime.update(record.id, recordedResources(record.hostConfig));
}

/**
 * Remove the given layers, top first, unless an image stacks on them, a
 * container's rootfs uses them or another layer sits on them.
 */
async function removeUnusedLayers(parts: RecoveryParts, candidates: readonly string[]): Promise<void> {
  if (candidates.length === 0) return;
  const { images, containers } = parts;
  const layers = images.layers;
  const used = new Set<string>();
  for (const image of images.store.images.values()) {
    for (const c of chainOf(layers, image.record.chainId)) used.add(c);
  }
  for (const record of containers.store.all()) {
    for (const c of chainOf(layers, record.imageChainId as ChainId)) used.add(c);
  }
  for (const chainId of [...candidates].reverse()) {
    if (used.has(chainId) || !layers.has(chainId as ChainId)) continue;
    if (layers.list().some((l) => l.parent === chainId)) continue;
    log.info('removing a layer left by an interrupted operation', { chainId });
    await layers.delete(chainId as ChainId);
  }
}

/** A layer and the layers below it. */
function chainOf(layers: ImageService['layers'], top: ChainId | undefined): string[] {
  const out: string[] = [];
  let current = top ? layers.get(top) : undefined;
  while (current) {
    out.push(current.chainId);
    current = current.parent ? layers.get(current.parent) : undefined;
  }
  return out;
}
