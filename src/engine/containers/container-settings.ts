/**
 * The verbs that change a container's settings: update (resource limits
 * and restart policy, applied live to a running container) and rename.
 */
import { InvalidParameterError, NotFoundError, SystemError, asError } from '../../util/errors.ts';
import { failpoint } from '../../util/failpoint.ts';
import type { UpdateConfig } from '../../wire/container.ts';
import { applyUpdate, checkUpdateConflicts, liveResources, updateWarnings } from './container-update.ts';
import { normalizeName } from './create.ts';
import { discardUnsupported, runChecks } from './create-checks.ts';
import type { HostConfig } from '../../wire/container-config.ts';
import type { LifecycleContext } from './lifecycle-context.ts';
import { isActive } from './state-machine.ts';
import type { UpdateIntent } from '../intents.ts';

/**
 * `docker update`: new resource limits and restart policy. Kept in the
 * record, and applied to a live container's cgroup at once (runc update).
 */
export async function updateContainer(ctx: LifecycleContext, ref: string, changes: UpdateConfig): Promise<{ Warnings: string[] }> {
  const record = ctx.store.resolve(ref);
  return ctx.lock.run(record.id, async () => {
    // As at create, what this kernel cannot apply is dropped with dockerd's warning before the checks.
    const supported = { ...changes } as UpdateConfig;
    const warnings = await discardUnsupported(supported as HostConfig);
    const next = applyUpdate(record.hostConfig, supported);
    runChecks('update', { hostConfig: next, changes: supported, hostCpus: ctx.hostCpus, containerExists: (other) => Boolean(ctx.store.find(other)) });
    checkUpdateConflicts(record.id, record.hostConfig, supported);
    const running = isActive(record.state.status);
    // The live cgroup changes before the record: a crash in between is
    // noted, and recovery sets the cgroup back to what the record holds.
    const intent = running ? await ctx.journal.begin<UpdateIntent>({ kind: 'update', containerId: record.id }) : undefined;
    if (running) {
      try {
        await ctx.runtime.update(record.id, liveResources(record.hostConfig, next));
      } catch (err) {
        await intent?.end();
        throw new SystemError(`Cannot update container ${record.id}: ${asError(err).message}`, { cause: err });
      }
      failpoint('update-applied');
    }
    // A runtime container prepared with the old limits is made afresh at start.
    if (!running) await ctx.pool.discard(record.id);
    record.hostConfig = next;
    await ctx.store.save(record);
    await intent?.end();
    ctx.announce(record, 'update');
    return { Warnings: [...warnings.filter((w) => w.includes('Block I/O')), ...updateWarnings(changes)] };
  });
}

export async function renameContainer(ctx: LifecycleContext, ref: string, newName: string): Promise<void> {
  const record = ctx.store.resolve(ref);
  if (!newName) throw new InvalidParameterError('Neither old nor new names may be empty');
  const name = normalizeName(newName);
  if (name === record.name) throw new InvalidParameterError(`Renaming a container with the same name as its current name`);
  await ctx.lock.run(record.id, async () => {
    const old = record.name;
    ctx.store.reserveName(name, record.id);
    record.name = name;
    try {
      await ctx.store.save(record);
    } catch (err) {
      record.name = old;
      ctx.store.releaseName(name, record.id);
      throw err;
    }
    ctx.store.releaseName(old, record.id);
    ctx.announce(record, 'rename', { oldName: old });
  });
}

/**
 * `docker rm --link /parent/alias`: the parent forgets the link. dockerd
 * finds a link by its full name; a name without a parent is the
 * container's own name, which cannot go this way.
 */
export async function removeLink(ctx: LifecycleContext, linkName: string): Promise<void> {
  const full = '/' + linkName.replace(/^\//, '');
  const slash = full.lastIndexOf('/');
  if (slash === 0) {
    ctx.store.resolve(full.slice(1));
    throw new SystemError('Conflict, cannot remove the default link name of the container');
  }
  const parentName = full.slice(0, slash);
  const parent = ctx.store.find(parentName.slice(1));
  const kept = (parent?.hostConfig.Links ?? []).filter((l) => !l.endsWith(`:${full}`));
  if (!parent || kept.length === (parent.hostConfig.Links ?? []).length) throw new NotFoundError(`No such container: ${full.slice(1)}`);
  await ctx.lock.run(parent.id, async () => {
    parent.hostConfig.Links = kept.length ? kept : null;
    await ctx.store.save(parent);
  });
}
