/**
 * A context directory packed as the tar stream `docker build` sends
 * (go-archive's TarWithOptions as the docker CLI calls it): entries in
 * lexical walk order, names relative to the root without `./`, owners
 * 0:0, hard links as links, sockets left out; `.dockerignore` patterns
 * applied with docker's rule for excluded directories (walked only when an
 * exception may re-include something below them). The Dockerfile and
 * `.dockerignore` are always sent (TrimBuildFilesFromExcludes).
 *
 * Streamed: each file is read as the daemon takes the bytes (the pack's
 * back-pressure paces the walk), so no context is ever held whole.
 *
 * `extraDockerfile` is the docker CLI's AddDockerfileToBuildContext: a
 * Dockerfile from outside the context (or stdin) added under a generated
 * name, and that name appended to `.dockerignore` so the daemon leaves it
 * out of what COPY sees.
 */
import { once } from 'node:events';
import { closeSync, createReadStream, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { PatternMatcher, type MatchInfo } from '../../util/dockerignore.ts';

export interface PackOptions {
  /** Absolute context directory, symlinks resolved. */
  root: string;
  /** `.dockerignore` patterns, with the exceptions that keep the Dockerfile and `.dockerignore` (trimBuildFilesFromExcludes). */
  excludes: string[];
  extraDockerfile?: { name: string; content: Buffer };
}

type HeaderArg = Partial<tar.Header> & { name: string };

/** Small files are read in one call; larger ones streamed. */
const SMALL_FILE = 64 * 1024;

/** `.dockerfile.` + 20 random [0-9a-f], as the docker CLI names an outside Dockerfile. */
export function randomDockerfileName(): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  return `.dockerfile.${Buffer.from(bytes).toString('hex')}`;
}

export function packContext(o: PackOptions): Readable {
  const pack = tar.pack();
  walk(pack, o).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  return Readable.from(pack, { objectMode: false });
}

function addEntry(pack: tar.Pack, header: HeaderArg, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (err?: Error | null) => (err ? reject(err) : resolve());
    if (content !== undefined) pack.entry(header, content, cb);
    else pack.entry(header, cb);
  });
}

async function addFileStream(pack: tar.Pack, header: HeaderArg, file: string): Promise<void> {
  let sink: ReturnType<tar.Pack['entry']> | undefined;
  const written = new Promise<void>((resolve, reject) => {
    sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
  });
  const entry = sink!;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
      if (!entry.write(chunk as Buffer)) await once(entry as unknown as NodeJS.EventEmitter, 'drain');
    }
  } catch (err) {
    entry.destroy(err as Error);
    throw contextError(file, err);
  }
  (entry as unknown as NodeJS.WritableStream).end();
  await written;
}

async function walk(pack: tar.Pack, o: PackOptions): Promise<void> {
  const pm = new PatternMatcher(o.excludes);
  const seen = new Map<string, string>();
  let ignoreSent = false;
  const extra = o.extraDockerfile;

  const visit = async (rel: string, st: Stats, parent: MatchInfo | undefined): Promise<void> => {
    const abs = path.join(o.root, rel);
    const { matched, info } = pm.matchesUsingParentResults(rel, parent);
    if (matched) {
      if (!st.isDirectory() || !pm.mustWalk(rel)) return;
      // Walked but not itself added (go-archive returns before adding the directory).
      for (const name of listDir(abs)) await visitChild(rel, name, info);
      return;
    }
    const header: HeaderArg = { name: rel, mode: st.mode & 0o7777, uid: 0, gid: 0, uname: '', gname: '', mtime: st.mtime };
    if (st.isDirectory()) {
      await addEntry(pack, { ...header, name: `${rel}/`, type: 'directory' });
      for (const name of listDir(abs)) await visitChild(rel, name, info);
      return;
    }
    if (st.isSymbolicLink()) return addEntry(pack, { ...header, type: 'symlink', linkname: readlinkSync(abs) });
    if (st.isFIFO()) return addEntry(pack, { ...header, type: 'fifo' });
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      return addEntry(pack, { ...header, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: (st.rdev >> 8) & 0xfff, devminor: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) });
    }
    if (!st.isFile()) return; // sockets
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = seen.get(key);
      if (first !== undefined) return addEntry(pack, { ...header, type: 'link', linkname: first });
      seen.set(key, rel);
    }
    if (rel === '.dockerignore' && extra) {
      ignoreSent = true;
      const content = Buffer.concat([readFileChecked(abs), Buffer.from(`\n${extra.name}\n`)]);
      return addEntry(pack, { ...header, type: 'file', size: content.length }, content);
    }
    if (st.size <= SMALL_FILE) {
      const content = readFileChecked(abs);
      return addEntry(pack, { ...header, type: 'file', size: content.length }, content);
    }
    checkReadable(abs);
    return addFileStream(pack, { ...header, type: 'file', size: st.size }, abs);
  };
  const visitChild = async (dir: string, name: string, parent: MatchInfo | undefined): Promise<void> => {
    const rel = dir === '' ? name : `${dir}/${name}`;
    let st: Stats;
    try {
      st = lstatSync(path.join(o.root, rel));
    } catch (err) {
      throw contextError(path.join(o.root, rel), err);
    }
    await visit(rel, st, parent);
  };

  for (const name of listDir(o.root)) await visitChild('', name, undefined);
  if (extra) {
    const now = new Date();
    await addEntry(pack, { name: extra.name, mode: 0o600, uid: 0, gid: 0, mtime: now, type: 'file', size: extra.content.length }, extra.content);
    if (!ignoreSent) {
      const content = Buffer.from(`.dockerignore\n${extra.name}\n`);
      await addEntry(pack, { name: '.dockerignore', mode: 0o600, uid: 0, gid: 0, mtime: now, type: 'file', size: content.length }, content);
    }
  }
}

/** Names in byte order (Go's filepath.Walk reads directories sorted). */
function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  } catch (err) {
    throw contextError(dir, err);
  }
}

function readFileChecked(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw contextError(file, err);
  }
}

function checkReadable(file: string): void {
  try {
    closeSync(openSync(file, 'r'));
  } catch (err) {
    throw contextError(file, err);
  }
}

/** ValidateContextDirectory's words. */
function contextError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return new Error(`checking context: no permission to read from '${file}'`);
  if (code === 'ENOENT') return new Error(`checking context: file ('${file}') not found or excluded by .dockerignore`);
  return new Error(`checking context: ${err instanceof Error ? err.message : String(err)}`);
}
