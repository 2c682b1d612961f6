/** Legacy links (STUB until the pure-logic branch lands: signatures assumed by the container side). */

/** "/target:/me/alias" (as stored), "target:alias" or "target". */
export function parseLink(link: string): { name: string; alias: string } {
  void link;
  throw new Error('todo');
}

export interface LinkTarget {
  name: string;
  id: string;
  ip: string;
  env: string[];
  exposedPorts: string[];
}

/** The variables dockerd gives a container for one link. */
export function linkEnv(alias: string, target: LinkTarget & { ownName: string }): string[] {
  void alias; void target;
  throw new Error('todo');
}

/** The /etc/hosts lines for one link. */
export function linkHostsEntries(alias: string, target: LinkTarget): string {
  void alias; void target;
  throw new Error('todo');
}
