/**
 * Opening a build's context (the contract is build-context.ts): the
 * request body or a `remote=` source unpacked into a private directory
 * under the builder's tmp dir (swept at daemon start), the Dockerfile
 * located and read, the ignore file applied, every survivor listed in
 * `entries` with its content digest.
 *
 * dockerd's rules: the body is a tar, plain or gzip/bzip2/xz-compressed
 * (detected by content); anything else fails with Go's tar words
 * (`unexpected EOF`, `archive/tar: invalid tar header`), as a 500. An
 * empty body is an empty context. The Dockerfile is looked up by the name
 * given (default `Dockerfile`, then `dockerfile`), within the root; when
 * absent: `Cannot locate specified Dockerfile: <name>`.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { decompressed } from '../../store/layers/decompress.ts';
import { SystemError, isErrno } from '../../util/errors.ts';
import type { BuildContext, ContextEntry, ContextSource } from './build-context.ts';
import { HeldFiles, unpackContextTar } from './context-tar.ts';
import { excludedPaths, readIgnorePatterns } from './context-ignore.ts';
import { fetchRemoteContext, type DownloadProgress } from './context-remote.ts';

export const DEFAULT_DOCKERFILE = 'Dockerfile';

export interface OpenContextOptions {
  /** The Dockerfile's name within the context (`dockerfile=`); default `Dockerfile`. */
  dockerfile?: string;
  /** Where the private directory is made (`<data-root>/builder/tmp`). */
  tmpDir: string;
  signal?: AbortSignal;
  /** A `remote=` URL's download progress (dockerd's "Downloading context" lines). */
  onDownload?: DownloadProgress;
}

/**
 * The bytes of context files kept in memory, all builds together (written
 * only when a COPY/ADD or RUN mount misses the cache): a fully cached
 * rebuild then writes none of them. Past the limit, files go to disk as
 * they arrive.
 */
export const heldContextBytes = { limit: 256 * 1024 * 1024, used: 0 };

export async function openBuildContext(source: ContextSource, options: OpenContextOptions): Promise<BuildContext> {
  await fs.mkdir(options.tmpDir, { recursive: true, mode: 0o700 });
  const dir = await fs.mkdtemp(path.join(options.tmpDir, 'context-'));
  const held = new HeldFiles(heldContextBytes);
  const close = once(async () => {
    await held.discard();
    await fs.rm(dir, { recursive: true, force: true });
  });
  try {
    const root = path.join(dir, 'root');
    await fs.mkdir(root, { mode: 0o755 });
    if (source.kind === 'body') {
      const entries = await unpackContextTar(await decompressed(source.stream), root, options.signal, held);
      return await finish(root, entries, options.dockerfile, close, true, held);
    }
    const remote = await fetchRemoteContext(source.url, root, options.signal, options.onDownload);
    switch (remote.kind) {
      case 'dockerfile': {
        // dockerd: a text/plain body is the Dockerfile itself, with no context around it.
        const name = options.dockerfile || DEFAULT_DOCKERFILE;
        return { root, entries: new Map([['', rootEntry()]]), dockerfile: remote.text, dockerfileName: name, close, ready: async () => undefined };
      }
      case 'tar': {
        const entries = await unpackContextTar(await decompressed(remote.stream), root, options.signal, held);
        return await finish(root, entries, options.dockerfile, close, true, held);
      }
      case 'directory':
        return await finish(remote.root, await scanDirectory(remote.root, options.signal), options.dockerfile, close, true);
    }
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A context over an existing directory (library users, in-process tests):
 * entries hashed from the files. The directory is the caller's, so
 * nothing is removed from it: what the ignore file excludes is only left
 * out of `entries`, which is what readers of a context go by. `close`
 * removes nothing.
 */
export async function directoryContext(dir: string, dockerfile?: string): Promise<BuildContext> {
  const root = path.resolve(dir);
  return finish(root, await scanDirectory(root), dockerfile, async () => undefined, false);
}

function rootEntry(): ContextEntry {
  return { path: '', type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: Math.floor(Date.now() / 1000) };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

async function finish(
  root: string,
  entries: Map<string, ContextEntry>,
  requested: string | undefined,
  close: () => Promise<void>,
  removeExcluded: boolean,
  held?: HeldFiles,
): Promise<BuildContext> {
  const wanted = requested || DEFAULT_DOCKERFILE;
  // The Dockerfile and ignore files are read from disk: written first if held (all held files when one is reached through a symlink).
  const names = [wanted, wanted.toLowerCase(), `${wanted}.dockerignore`, `${wanted.toLowerCase()}.dockerignore`, '.dockerignore'];
  if (held && held.size > 0) {
    const isHeld = (rel: string) => held.has(path.join(root, rel));
    const reached = names.map((n) => mayBeHeld(entries, n, isHeld));
    if (reached.includes('through-symlink')) await held.flush();
    else {
      const files = new Set(names.filter((_, i) => reached[i] === 'held').map((n) => path.join(root, cleanRel(n))));
      if (files.size > 0) await held.flush((file) => files.has(file));
    }
  }
  const { name, text } = await readDockerfile(root, wanted);
  const patterns = await readIgnorePatterns(root, name);
  for (const rel of excludedPaths(entries.keys(), patterns)) {
    if (removeExcluded) {
      await fs.rm(path.join(root, rel), { recursive: true, force: true });
      held?.drop(path.join(root, rel));
    }
    entries.delete(rel);
  }
  const ready = async (sources?: readonly string[]): Promise<void> => {
    if (!held || held.size === 0) return;
    const prefixes = sources?.map(literalPrefix);
    // Everything: asked for it, a source at the root, or a symlink on the way (it may lead anywhere in the context).
    if (!prefixes || prefixes.some((p) => p === '' || throughSymlink(entries, p))) return held.flush();
    await held.flush((file) => {
      const rel = path.relative(root, file);
      return prefixes.some((p) => rel === p || rel.startsWith(p + '/'));
    });
  };
  return { root, entries, dockerfile: text, dockerfileName: name, close, ready };
}

/** A source's path up to its first segment with a wildcard, cleaned ('' for the root). */
function literalPrefix(source: string): string {
  const clean = path.posix.normalize('/' + source).slice(1).replace(/\/+$/, '');
  const parts = clean === '' ? [] : clean.split('/');
  const wild = parts.findIndex((s) => /[*?[\\]/.test(s));
  return (wild < 0 ? parts : parts.slice(0, wild)).join('/');
}

/** Whether a path, one of its parents, or anything under it in the context is a symlink. */
function throughSymlink(entries: ReadonlyMap<string, ContextEntry>, rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) if (entries.get(parts.slice(0, i).join('/'))?.type === 'symlink') return true;
  for (const e of entries.values()) if (e.type === 'symlink' && e.path.startsWith(rel + '/')) return true;
  return false;
}

function cleanRel(name: string): string {
  return path.posix.normalize('/' + name.replaceAll('\\', '/')).slice(1);
}

/** Whether reading `name` in the context meets a held file: it is one ('held'), or its path goes through a symlink (may lead to one). */
function mayBeHeld(entries: ReadonlyMap<string, ContextEntry>, name: string, isHeld: (rel: string) => boolean): 'held' | 'through-symlink' | false {
  const rel = cleanRel(name);
  if (rel === '') return false;
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const e = entries.get(parts.slice(0, i).join('/'));
    if (e === undefined) return false;
    if (e.type === 'symlink') return 'through-symlink';
  }
  return isHeld(rel) ? 'held' : false;
}

/** The Dockerfile's text, by name within `root` (symlinks followed only inside it), with dockerd's lower-case fallback. */
async function readDockerfile(root: string, name: string): Promise<{ name: string; text: string }> {
  const candidates = name === DEFAULT_DOCKERFILE ? [name, name.toLowerCase()] : [name];
  const realRoot = await fs.realpath(root);
  for (const candidate of candidates) {
    const clean = path.posix.normalize('/' + candidate.replaceAll('\\', '/'));
    let real: string;
    try {
      real = await fs.realpath(path.join(root, clean));
    } catch (err) {
      if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR') || isErrno(err, 'ELOOP')) continue;
      throw err;
    }
    if (real !== realRoot && !real.startsWith(realRoot + '/')) continue;
    try {
      return { name: candidate, text: await fs.readFile(real, 'utf8') };
    } catch (err) {
      if (isErrno(err, 'EISDIR')) throw new SystemError(`read ${real}: is a directory`);
      throw err;
    }
  }
  throw new SystemError(`Cannot locate specified Dockerfile: ${name}`);
}

/** Every entry under `root`, files hashed (hard links counted by inode once). */
export async function scanDirectory(root: string, signal?: AbortSignal): Promise<Map<string, ContextEntry>> {
  const entries = new Map<string, ContextEntry>();
  const byInode = new Map<string, ContextEntry>();
  const visit = async (rel: string): Promise<void> => {
    signal?.throwIfAborted();
    const abs = rel === '' ? root : path.join(root, rel);
    const st = await fs.lstat(abs);
    const base = { path: rel, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
    if (st.isDirectory()) {
      entries.set(rel, { ...base, type: 'directory', size: 0 });
      const names = (await fs.readdir(abs)).sort();
      for (const n of names) await visit(rel === '' ? n : `${rel}/${n}`);
    } else if (st.isSymbolicLink()) {
      entries.set(rel, { ...base, type: 'symlink', size: 0, linkname: await fs.readlink(abs) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const known = st.nlink > 1 ? byInode.get(key) : undefined;
      const entry: ContextEntry = { ...base, type: 'file', size: st.size, digest: known?.digest ?? (await fileDigest(abs, signal)) };
      if (st.nlink > 1) byInode.set(key, entry);
      entries.set(rel, entry);
    }
    // Sockets, FIFOs and devices are not part of a context (the CLI's tar leaves sockets out; COPY refuses the rest).
  };
  await visit('');
  return entries;
}

async function fileDigest(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { signal, highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
