/**
 * `--chown=user[:group]` resolved against the destination rootfs, as the
 * classic builder does (moby builder/dockerfile/internals_linux.go,
 * parseChownFlag): a number is taken as is, a name is looked up in the
 * rootfs's /etc/passwd or /etc/group (found inside the rootfs, symlinks
 * followed within it); without a group, the user's *name or number* is used
 * as the group too (`--chown=nobody` looks up the group `nobody`), not the
 * user's primary group.
 */
import { readFile } from 'node:fs/promises';
import { isErrno } from '../../util/errors.ts';
import { resolveInRoot } from '../containers/archive/resolve-in-root.ts';
import { badChown } from './copy-errors.ts';

export interface Identity {
  uid: number;
  gid: number;
}

const NUMERIC = /^[+-]?\d+$/;

/** The uid/gid `chown` names in the rootfs at `rootfs`. */
export async function resolveChown(rootfs: string, chown: string): Promise<Identity> {
  const parts = chown.split(':');
  if (parts.length > 2) throw badChown(`invalid chown string format: ${chown}`);
  const userStr = parts[0]!;
  const groupStr = parts.length === 2 ? parts[1]! : userStr;
  const uid = await lookup(rootfs, '/etc/passwd', userStr).catch((err: unknown) => {
    throw badChown(`can't find uid for user ${userStr}: ${describe(err, 'user', userStr)}`);
  });
  const gid = await lookup(rootfs, '/etc/group', groupStr).catch((err: unknown) => {
    throw badChown(`can't find gid for group ${groupStr}: ${describe(err, 'group', groupStr)}`);
  });
  return { uid, gid };
}

class NoSuchEntry extends Error {}

function describe(err: unknown, kind: string, name: string): string {
  if (err instanceof NoSuchEntry) return `no such ${kind}: ${name}`;
  if (isErrno(err, 'ENOENT')) return `open ${kind === 'user' ? '/etc/passwd' : '/etc/group'}: no such file or directory`;
  return (err as Error).message;
}

/** A number as Go's strconv.Atoi reads it, else the third field of the first line whose name matches. */
async function lookup(rootfs: string, file: string, name: string): Promise<number> {
  if (NUMERIC.test(name)) return Number.parseInt(name, 10);
  const { hostPath } = await resolveInRoot({ root: rootfs, mounts: [] }, file, { followFinalSymlink: true });
  const text = await readFile(hostPath, 'utf8');
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = line.split(':');
    if (fields[0] !== name) continue;
    const id = Number.parseInt(fields[2] ?? '', 10);
    return Number.isNaN(id) ? 0 : id;
  }
  throw new NoSuchEntry();
}
