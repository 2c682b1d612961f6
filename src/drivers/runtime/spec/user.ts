/**
 * `User` resolution as runc's libcontainer/user does it for Docker: `name`,
 * `uid`, `name:group`, `uid:gid` (any mix) looked up in the container's
 * /etc/passwd and /etc/group text (passed in; absent when the image has none).
 */
import { InvalidParameterError } from '../../../util/errors.ts';

export interface ExecUser {
  uid: number;
  gid: number;
  /** Supplementary groups: the user's memberships (implicit group form only) plus `GroupAdd`. */
  additionalGids: number[];
  /** Home directory from passwd; `/` when the user has no entry. */
  home: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}
interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const MAX_ID = 2147483647;
const RANGE_ERROR = `uids and gids must be in range 0-${MAX_ID}`;

function parseId(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const f = t.split(':');
    out.push({ name: f[0] ?? '', uid: Number(f[2] ?? 0) || 0, gid: Number(f[3] ?? 0) || 0, home: f[5] ?? '' });
  }
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const f = t.split(':');
    const list = f[3] ?? '';
    out.push({ name: f[0] ?? '', gid: Number(f[2] ?? 0) || 0, members: list === '' ? [] : list.split(',') });
  }
  return out;
}

/** Thrown with runc/Docker's words; the container service reports them at start. */
function notFound(kind: 'user' | 'group', name: string): InvalidParameterError {
  const file = kind === 'user' ? 'passwd' : 'group';
  return new InvalidParameterError(`unable to find ${kind} ${name}: no matching entries in ${file} file`);
}

export function resolveUser(spec: string | undefined, etcPasswd?: string, etcGroup?: string, groupAdd?: readonly string[] | null): ExecUser {
  const colon = (spec ?? '').indexOf(':');
  const userArg = colon < 0 ? (spec ?? '') : (spec ?? '').slice(0, colon);
  const groupArg = colon < 0 ? '' : (spec ?? '').slice(colon + 1);
  const uidArg = parseId(userArg);
  const gidArg = parseId(groupArg);
  const users = etcPasswd === undefined ? [] : parsePasswd(etcPasswd);
  const groups = etcGroup === undefined ? [] : parseGroup(etcGroup);

  const user: ExecUser = { uid: 0, gid: 0, additionalGids: [], home: '/' };
  const match = users.find((u) => (userArg === '' ? u.uid === 0 : uidArg !== undefined ? u.uid === uidArg : u.name === userArg));
  let matchedName = '';
  if (match) {
    matchedName = match.name;
    user.uid = match.uid;
    user.gid = match.gid;
    user.home = match.home || '/';
  } else if (userArg !== '') {
    if (uidArg === undefined) throw notFound('user', userArg);
    if (uidArg > MAX_ID) throw new InvalidParameterError(RANGE_ERROR);
    user.uid = uidArg;
  }

  if (groupArg !== '') {
    const g = groups.find((e) => (gidArg !== undefined ? e.gid === gidArg : e.name === groupArg));
    if (g) user.gid = g.gid;
    else {
      if (gidArg === undefined) throw notFound('group', groupArg);
      if (gidArg > MAX_ID) throw new InvalidParameterError(RANGE_ERROR);
      user.gid = gidArg;
    }
  } else if (matchedName !== '') {
    // Supplementary groups only in the implicit form, as libcontainer does.
    user.additionalGids = groups.filter((g) => g.members.includes(matchedName)).map((g) => g.gid);
  }

  // dockerd lists the primary group among the supplementary ones too (moby's
  // getUser since the CVE-2022-36109 fix): `id` shows groups=0(root) for root.
  user.additionalGids.unshift(user.gid);

  for (const name of groupAdd ?? []) {
    const g = groups.find((e) => e.name === name || String(e.gid) === name);
    let gid: number;
    if (g) gid = g.gid;
    else {
      const n = parseId(name);
      if (n === undefined) throw new InvalidParameterError(`Unable to find group ${name}`);
      if (n > MAX_ID) throw new InvalidParameterError(RANGE_ERROR);
      gid = n;
    }
    user.additionalGids.push(gid);
  }
  return user;
}
