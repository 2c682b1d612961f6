/**
 * A context tar unpacked into a fresh directory, each file's sha256
 * computed as it streams to disk. Owners, modes, mtimes, symlinks and hard
 * links are kept (COPY needs the modes, and the cache keys see them);
 * device nodes and FIFOs are skipped (dockerd's chrooted untar would make
 * them, but COPY refuses them anyway). Safety: names that climb out of the
 * root, paths through a symlink of the context, and hard links to
 * anything but an earlier file are refused: the directory is new and
 * nothing in it is followed.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { SystemError } from '../../util/errors.ts';
import type { ContextEntry } from './build-context.ts';

/** Go's archive/tar words, as dockerd's reply carries them. */
function tarError(err: unknown, entriesSeen: number): SystemError {
  const message = (err as Error)?.message ?? String(err);
  let go = message;
  if (/Unexpected end of data|premature close|unexpected end/i.test(message)) go = 'unexpected EOF';
  else if (/Invalid tar header|checksum/i.test(message)) go = 'archive/tar: invalid tar header';
  // Past the first header, dockerd's untar runs in a child whose failure it wraps.
  return new SystemError(entriesSeen > 0 ? `Error processing tar file(exit status 1): ${go}` : go, { cause: err });
}

function breakout(name: string, root: string): SystemError {
  return new SystemError(`Error processing tar file(exit status 1): ${JSON.stringify(name)} is outside of ${JSON.stringify(root)}`);
}

/** The cleaned relative path of a tar name ('' for the root), or undefined when it climbs out. */
export function cleanName(name: string): string | undefined {
  const clean = path.posix.normalize('/' + name).slice(1).replace(/\/+$/, '');
  const raw = path.posix.normalize(name).replace(/\/+$/, '');
  if (raw === '..' || raw.startsWith('../')) return undefined;
  return clean;
}

function hashing(onDone: (digest: string, size: number) => void): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      onDone(`sha256:${hash.digest('hex')}`, size);
      cb();
    },
  });
}

/** Unpacks the (already decompressed) tar `source` into the empty directory `root`; resolves with its entries. */
export async function unpackContextTar(source: Readable, root: string, signal?: AbortSignal): Promise<Map<string, ContextEntry>> {
  const entries = new Map<string, ContextEntry>();
  const now = Math.floor(Date.now() / 1000);
  entries.set('', { path: '', type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: now });
  const extract = tar.extract();
  const flowing = pipeline(source, extract, { signal });
  flowing.catch(() => undefined); // surfaced below
  const dirTimes: [string, number][] = [];
  let seen = 0;

  const ensureParents = async (rel: string): Promise<void> => {
    const missing: string[] = [];
    for (let dir = path.posix.dirname(rel); dir !== '.'; dir = path.posix.dirname(dir)) {
      const known = entries.get(dir);
      if (known?.type === 'directory') break;
      if (known !== undefined) throw new SystemError(`Error processing tar file(exit status 1): cannot extract ${JSON.stringify(rel)}: ${dir} is not a directory`);
      missing.push(dir);
    }
    for (const dir of missing.reverse()) {
      await fs.mkdir(path.join(root, dir), { mode: 0o755 });
      entries.set(dir, { path: dir, type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: now });
    }
  };

  try {
    for await (const entry of extract) {
      seen++;
      const h = entry.header;
      const rel = cleanName(h.name);
      if (rel === undefined) throw breakout(h.name, root);
      const file = rel === '' ? root : path.join(root, rel);
      const mode = (h.mode ?? 0o644) & 0o7777;
      const mtime = h.mtime ? Math.floor(h.mtime.getTime() / 1000) : 0;
      const base = { path: rel, mode, uid: h.uid ?? 0, gid: h.gid ?? 0, mtime };
      if (rel !== '') await ensureParents(rel);
      const previous = entries.get(rel);
      if (previous && !(previous.type === 'directory' && h.type === 'directory')) {
        await fs.rm(file, { recursive: true, force: true });
        for (const key of entries.keys()) if (key === rel || key.startsWith(rel + '/')) entries.delete(key);
      }
      switch (h.type) {
        case 'file':
        case 'contiguous-file': {
          let done: { digest: string; size: number } | undefined;
          await pipeline(entry, hashing((digest, size) => (done = { digest, size })), createWriteStream(file, { mode: 0o600 }));
          entries.set(rel, { ...base, type: 'file', size: done!.size, digest: done!.digest });
          break;
        }
        case 'directory':
          if (rel !== '' && !previous) await fs.mkdir(file, { mode: 0o755 });
          entry.resume();
          entries.set(rel, { ...base, type: 'directory', size: 0 });
          dirTimes.push([file, mtime]);
          break;
        case 'symlink': {
          const target = h.linkname ?? '';
          await fs.symlink(target, file);
          entry.resume();
          entries.set(rel, { ...base, type: 'symlink', size: 0, linkname: target });
          break;
        }
        case 'link': {
          const targetRel = cleanName(h.linkname ?? '');
          if (targetRel === undefined) throw breakout(h.linkname ?? '', root);
          const target = entries.get(targetRel);
          if (target?.type !== 'file') throw new SystemError(`Error processing tar file(exit status 1): invalid hardlink ${JSON.stringify(h.name)} -> ${JSON.stringify(h.linkname)}`);
          await fs.link(path.join(root, targetRel), file);
          entry.resume();
          entries.set(rel, { ...target, path: rel });
          continue; // shares its target's inode, so its metadata
        }
        default:
          entry.resume();
          continue;
      }
      // Symlinks in a parent path would be followed by what follows: refused by ensureParents (not a directory).
      await fs.lchown(file, h.uid ?? 0, h.gid ?? 0);
      if (h.type !== 'symlink') await fs.chmod(file, mode); // after chown, which clears setuid bits
      if (h.type !== 'directory') await fs.lutimes(file, mtime, mtime);
    }
    await flowing;
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    // Our own refusals and the filesystem's errors (ENOSPC…) pass as they are; the rest is the tar's.
    if (err instanceof SystemError || typeof (err as { code?: unknown })?.code === 'string') throw err;
    throw tarError(err, seen);
  }
  // Directory times last: creating their children changed them.
  for (const [dir, mtime] of dirTimes.reverse()) await fs.lutimes(dir, mtime, mtime);
  return entries;
}
