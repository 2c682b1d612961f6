/**
 * What of a project the engine holds, read through the Engine API by
 * Compose's labels: its containers by service (service containers apart
 * from one-offs), so `up` can converge them and `down`/`ps` find them
 * whoever created them (Docker Compose or berth compose).
 */
import type { ApiClient } from '../client/api-client.ts';
import { containerList } from '../client/containers.ts';
import type { ContainerSummary } from '../client/types.ts';
import { NUMBER_LABEL, ONEOFF_LABEL, SERVICE_LABEL, projectFilter } from './labels.ts';
import type { Progress } from './progress.ts';

export type ProjectContainer = ContainerSummary;

export function label(c: ProjectContainer, key: string): string {
  return c.Labels?.[key] ?? '';
}

export const serviceOf = (c: ProjectContainer): string => label(c, SERVICE_LABEL);
export const numberOf = (c: ProjectContainer): number => Number(label(c, NUMBER_LABEL)) || 0;
export const isOneoff = (c: ProjectContainer): boolean => label(c, ONEOFF_LABEL) === 'True';
/** The name without its leading slash. */
export const nameOf = (c: ProjectContainer): string => (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');

/** The project's containers (all states), one-offs included only when asked; sorted by service then number. */
export async function projectContainers(api: ApiClient, project: string, opts: { oneoff?: boolean; all?: boolean } = {}): Promise<ProjectContainer[]> {
  const list = await containerList(api, { all: opts.all ?? true, filters: projectFilter(project, { oneoff: opts.oneoff === true ? undefined : false }) });
  return list.sort((a, b) => serviceOf(a).localeCompare(serviceOf(b)) || numberOf(a) - numberOf(b) || nameOf(a).localeCompare(nameOf(b)));
}

export function byService(list: ProjectContainer[]): Map<string, ProjectContainer[]> {
  const out = new Map<string, ProjectContainer[]>();
  for (const c of list) {
    const s = serviceOf(c);
    out.set(s, [...(out.get(s) ?? []), c]);
  }
  return out;
}

export interface ComposeEnv {
  api: ApiClient;
  progress: Progress;
  /** Warnings (Compose's logrus WARN lines), printed by the CLI. */
  warn: (text: string) => void;
}

/** Run `fn` over items concurrently; every item runs, the first failure is rethrown after all settle. */
export async function forAll<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(items.map(fn));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
