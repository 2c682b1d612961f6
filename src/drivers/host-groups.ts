/**
 * The group of the API socket, chosen as dockerd chooses it (`-G/--group`,
 * daemon.json "group", default "docker"): a group of /etc/group named so
 * (or whose GID is that number), else the number itself; an unknown name
 * stops the daemon, except the default "docker", which falls back to the
 * daemon's own group with a warning, so a host without a docker group keeps
 * the socket root's.
 */
import { readFileSync } from 'node:fs';

export const DEFAULT_SOCKET_GROUP = 'docker';

/** `name:password:gid:members` lines → the GID of the group named `name` (or whose GID is `name`). */
export function findGroupId(groupFile: string, name: string): number | undefined {
  for (const line of groupFile.split('\n')) {
    const [groupName, , gidText] = line.split(':');
    if (groupName === undefined || gidText === undefined || line.startsWith('#')) continue;
    const gid = Number(gidText);
    if (!/^\d+$/.test(gidText)) continue;
    if (groupName === name || gidText === name) return gid;
  }
  return undefined;
}

export type SocketGroup = { gid: number; warning?: string };

/**
 * The socket's GID for `group` (undefined: the default). `ownGid` is the
 * daemon's group, used when the default group does not exist or `group` is "".
 */
export function resolveSocketGroup(group: string | undefined, groupFile: string, ownGid: number): SocketGroup {
  const name = group ?? DEFAULT_SOCKET_GROUP;
  if (name === '') return { gid: ownGid };
  const found = findGroupId(groupFile, name);
  if (found !== undefined) return { gid: found };
  if (/^\d+$/.test(name)) return { gid: Number(name) };
  if (name !== DEFAULT_SOCKET_GROUP) throw new Error(`failed to load listeners: group ${name} not found`);
  return { gid: ownGid, warning: `could not change group to ${DEFAULT_SOCKET_GROUP}: group ${DEFAULT_SOCKET_GROUP} not found` };
}

/** /etc/group as text ("" when there is none). */
export function readGroupFile(file = '/etc/group'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // no group file: only numeric groups and the default resolve
  }
}
