/**
 * Fixtures for the COPY/ADD tests: a real build context (a directory and
 * its entries, hashed by walking it, as the context unpacker records them),
 * a fake rootfs with /etc/passwd and /etc/group, and a look at what a copy
 * wrote. Everything lives under one temporary directory removed in t.after.
 */
import type { TestContext } from 'node:test';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ContextEntry } from '../../../src/engine/build/build-context.ts';
import type { CopyRequest, CopySourceRoot } from '../../../src/engine/build/copier.ts';
import { FileCopier } from '../../../src/engine/build/copy-files.ts';

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-copy-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function sha256File(p: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(p)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** The entries of a context directory, as the context unpacker records them. */
export async function contextOf(root: string): Promise<CopySourceRoot & { kind: 'context' }> {
  const entries = new Map<string, ContextEntry>();
  const visit = async (rel: string): Promise<void> => {
    const p = rel === '' ? root : path.join(root, rel);
    const st = await lstat(p);
    const base = { path: rel, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
    if (st.isDirectory()) {
      entries.set(rel, { ...base, type: 'directory', size: 0 });
      for (const name of (await readdir(p)).sort()) await visit(rel === '' ? name : `${rel}/${name}`);
    } else if (st.isSymbolicLink()) {
      entries.set(rel, { ...base, type: 'symlink', size: 0, linkname: await readlink(p) });
    } else if (st.isFile()) {
      entries.set(rel, { ...base, type: 'file', size: st.size, digest: await sha256File(p) });
    }
  };
  await visit('');
  return { kind: 'context', root, entries };
}

/** A rootfs with the users and groups the --chown tests name. */
export async function makeRootfs(dir: string): Promise<string> {
  const root = path.join(dir, 'rootfs');
  await mkdir(path.join(root, 'etc'), { recursive: true });
  await mkdir(path.join(root, 'tmp'));
  await writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000::/home/app:/bin/sh\nsolo:x:1002:1002::/:/bin/sh\n');
  await writeFile(path.join(root, 'etc/group'), 'root:x:0:\nnobody:x:65534:\nstaff:x:50:\napp:x:1001:\n');
  return root;
}

/** Files (path → content) and symlinks (`'-> target'`) to create under `root`. */
export async function writeTree(root: string, tree: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(tree)) {
    const p = path.join(root, rel);
    await mkdir(path.dirname(p), { recursive: true });
    if (content.startsWith('-> ')) {
      await symlink(content.slice(3), p);
    } else if (rel.endsWith('/')) {
      await mkdir(p, { recursive: true });
    } else {
      await writeFile(p, content);
    }
  }
}

export interface Seen {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  ino: number;
  content?: string;
  target?: string;
}

/** What is at `p` inside `root` (undefined when nothing is). */
export async function look(root: string, p: string): Promise<Seen | undefined> {
  const host = path.join(root, p);
  const st = await lstat(host).catch(() => undefined);
  if (!st) return undefined;
  const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000), ino: st.ino };
  if (st.isDirectory()) return { ...base, type: 'dir' };
  if (st.isSymbolicLink()) return { ...base, type: 'symlink', target: await readlink(host) };
  if (st.isFile()) return { ...base, type: 'file', content: await readFile(host, 'utf8') };
  return { ...base, type: 'other' };
}

export async function names(root: string, p: string): Promise<string[]> {
  return (await readdir(path.join(root, p))).sort();
}

export function request(partial: Partial<CopyRequest> & { sources: string[]; dest: string }): CopyRequest {
  return { instruction: 'COPY', inline: [], workdir: '/', link: false, excludes: [], ...partial };
}

/** prepare + apply + dispose, returning the key. */
export async function copy(copier: FileCopier, rootfs: string, from: CopySourceRoot, partial: Partial<CopyRequest> & { sources: string[]; dest: string }): Promise<string> {
  const prepared = await copier.prepare(request(partial), from);
  try {
    await prepared.apply(rootfs);
    return prepared.key;
  } finally {
    await prepared.dispose();
  }
}

/** The key only (prepare + dispose). */
export async function keyOf(copier: FileCopier, from: CopySourceRoot, partial: Partial<CopyRequest> & { sources: string[]; dest: string }): Promise<string> {
  const prepared = await copier.prepare(request(partial), from);
  await prepared.dispose();
  return prepared.key;
}
