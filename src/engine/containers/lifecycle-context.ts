/**
 * What the container verbs share: the records, the layout, the runtime,
 * the per-container lock, the waiters, the resources and the prepared
 * pool. The container service builds one and hands it to the modules that
 * implement its verbs (container-signals.ts, container-removal.ts,
 * container-settings.ts), so each verb reads as one function over the same
 * parts, and nothing below the service imports the service.
 */
import type { RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import type { KeyedLock } from '../../store/lock.ts';
import type { Journal } from '../../store/journal.ts';
import type { EventsService } from '../events/events-service.ts';
import type { AttachHub } from './attach-hub.ts';
import type { ContainerLayout } from './container-layout.ts';
import type { ContainerResources } from './container-resources.ts';
import type { ContainerStore } from './container-store.ts';
import type { HealthMonitor } from './health.ts';
import type { PreparedPool } from './prepared-pool.ts';
import type { ContainerRecord } from './record.ts';
import type { Waiters } from './state-machine.ts';

export interface LifecycleContext {
  readonly store: ContainerStore;
  readonly layout: ContainerLayout;
  readonly runtime: RuntimeDriver;
  readonly events: EventsService;
  /** One lock per container: lifecycle operations on it run one at a time. */
  readonly lock: KeyedLock;
  readonly waiters: Waiters;
  readonly resources: ContainerResources;
  readonly pool: PreparedPool;
  readonly attach: AttachHub;
  readonly hostCpus: number;
  /** Operations in flight that a crash could leave half done (see recovery.ts). */
  readonly journal: Journal;
  /** Set by the engine after construction (it needs the exec service). */
  health(): HealthMonitor | undefined;
  /** Publish a container event with the container's attributes (labels, image, name) and `extra`. */
  announce(record: ContainerRecord, action: string, extra?: Record<string, string>): void;
}

/** A container event's attributes: its labels, image and name, as dockerd sends them. */
export function eventAttributes(record: ContainerRecord): Record<string, string> {
  return { ...(record.config.Labels ?? {}), image: record.config.Image ?? '', name: record.name.slice(1) };
}
