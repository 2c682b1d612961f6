/**
 * Where `berth build`'s context comes from and what goes in the request,
 * as the docker CLI decides it (cli/command/image/build.go and
 * build/context.go): `-` reads stdin (a tar, possibly compressed, sent as
 * is; or a bare Dockerfile, sent as a one-file tar); an existing path is a
 * directory packed here (context-tar.ts); a git or http(s) URL is passed to
 * the daemon as `remote`. `-f` is relative to the current directory, may
 * lie outside the context (then added under a generated name) or be `-`
 * (the Dockerfile from stdin with a directory context).
 *
 * `.dockerignore` is read from the context root, unless `<Dockerfile>.dockerignore`
 * sits beside the Dockerfile (BuildKit's rule, which Berth follows for both).
 */
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { parseDockerignore, trimBuildFilesFromExcludes } from '../../util/dockerignore.ts';
import { packContext, randomDockerfileName } from './context-tar.ts';

export interface PreparedContext {
  /** The request body: a tar stream (or nothing for a remote context). */
  body: Readable | undefined;
  /** The `dockerfile` query value ('' lets the daemon default to Dockerfile). */
  dockerfile: string;
  /** The `remote` query value for a URL context. */
  remote?: string;
}

export class ContextError extends Error {}

const GIT_SUFFIX = /\.git(?:#.+)?$/;
export const isUrl = (s: string): boolean => s.startsWith('https://') || s.startsWith('http://');
export const isGitUrl = (s: string): boolean => (isUrl(s) && GIT_SUFFIX.test(s)) || ['git://', 'github.com/', 'git@'].some((p) => s.startsWith(p));

export type ContextType = 'stdin' | 'local' | 'git' | 'remote';

/** build.DetectContextType. */
export function detectContextType(spec: string, exists: (p: string) => boolean): ContextType {
  if (spec === '-') return 'stdin';
  if (exists(spec)) return 'local';
  if (isGitUrl(spec)) return 'git';
  if (isUrl(spec)) return 'remote';
  throw new ContextError(`unable to prepare context: path ${JSON.stringify(spec)} not found`);
}

/** The bytes that make stdin an archive: a compression magic, or a tar header with a valid checksum. */
export function isArchiveHeader(head: Buffer): boolean {
  const starts = (...b: number[]) => b.every((v, i) => head[i] === v);
  if (starts(0x1f, 0x8b, 0x08) || starts(0x42, 0x5a, 0x68) || starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) || starts(0x28, 0xb5, 0x2f, 0xfd)) return true;
  if (head.length < 512) return false;
  const block = head.subarray(0, 512);
  if (block.every((b) => b === 0)) return false;
  const field = block.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/, '').replace(/^[\0 ]+/, '');
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === parseInt(field, 8);
}

/** The first `n` bytes of a stream (fewer at its end) and a stream that replays them before the rest. */
export async function peekStream(stream: NodeJS.ReadableStream, n: number): Promise<{ head: Buffer; whole: Readable }> {
  const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    chunks.push(b);
    length += b.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    }
  }
  return { head, whole: Readable.from(replay(), { objectMode: false }) };
}

export async function readAllStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}

/** A one-file tar: the bare Dockerfile read from stdin (docker writes it to a temp dir as `Dockerfile`, 0644). */
function dockerfileTar(content: Buffer): Readable {
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile', mode: 0o644, uid: 0, gid: 0, mtime: new Date(), type: 'file', size: content.length }, content);
  pack.finalize();
  return Readable.from(pack, { objectMode: false });
}

/** filepath.EvalSymlinks' error: the lstat of the first component that fails. */
function goLstatError(p: string, err: unknown): string {
  const parts = p.split('/');
  for (let i = 2; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    try {
      lstatSync(prefix);
    } catch (e) {
      p = prefix;
      err = e;
      break;
    }
  }
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file or directory' : code === 'ENOTDIR' ? 'not a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
  return `lstat ${p}: ${why}`;
}

export interface ContextInputs {
  context: string;
  /** `-f` as typed ('' when not given). */
  file: string;
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

export async function prepareContext(i: ContextInputs): Promise<PreparedContext> {
  const type = detectContextType(i.context, (p) => existsSync(path.resolve(i.cwd, p)));
  const fileFromStdin = i.file === '-';
  if (fileFromStdin && type === 'stdin') throw new ContextError("invalid argument: can't use stdin for both build context and dockerfile");

  if (type === 'stdin') {
    const { head, whole } = await peekStream(i.stdin, 1024);
    if (isArchiveHeader(head)) return { body: whole, dockerfile: i.file };
    if (i.file !== '') throw new ContextError('unable to prepare context from STDIN: ambiguous Dockerfile source: both stdin and flag correspond to Dockerfiles');
    return { body: dockerfileTar(await readAllStream(whole)), dockerfile: 'Dockerfile' };
  }
  if (type === 'git' || type === 'remote') {
    if (fileFromStdin) return { body: Readable.from([await readAllStream(i.stdin)], { objectMode: false }), dockerfile: '', remote: i.context };
    return { body: undefined, dockerfile: i.file, remote: i.context };
  }
  return prepareLocal(i);
}

async function prepareLocal(i: ContextInputs): Promise<PreparedContext> {
  const given = path.resolve(i.cwd, i.context);
  let root: string;
  try {
    root = realpathSync(given);
  } catch (err) {
    throw new ContextError(`unable to prepare context: unable to evaluate symlinks in context path: ${goLstatError(given, err)}`);
  }
  if (!statSync(root).isDirectory()) throw new ContextError(`unable to prepare context: context must be a directory: ${root}`);

  let extra: { name: string; content: Buffer } | undefined;
  let relDockerfile = '';
  let absDockerfile: string | undefined;
  if (i.file === '-') {
    extra = { name: randomDockerfileName(), content: await readAllStream(i.stdin) };
  } else {
    let candidate = i.file !== '' ? path.resolve(i.cwd, i.file) : path.join(root, 'Dockerfile');
    if (i.file === '' && !lexists(candidate) && lexists(path.join(root, 'dockerfile'))) candidate = path.join(root, 'dockerfile');
    try {
      absDockerfile = realpathSync(candidate);
    } catch (err) {
      throw new ContextError(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: ${goLstatError(candidate, err)}`);
    }
    relDockerfile = path.relative(root, absDockerfile).split(path.sep).join('/');
    if (relDockerfile.startsWith('../') || path.isAbsolute(relDockerfile)) {
      try {
        extra = { name: randomDockerfileName(), content: readFileSync(i.file === '' ? absDockerfile : path.resolve(i.cwd, i.file)) };
      } catch (err) {
        throw new ContextError(`unable to open Dockerfile: ${(err as Error).message}`);
      }
    }
  }

  // <Dockerfile>.dockerignore beside the Dockerfile (as given, before symlinks) wins over the root's.
  let ignoreText = '';
  const perFile = i.file !== '' && i.file !== '-' ? `${path.resolve(i.cwd, i.file)}.dockerignore` : absDockerfile ? `${absDockerfile}.dockerignore` : undefined;
  const ignoreFile = perFile && lexists(perFile) ? perFile : path.join(root, '.dockerignore');
  try {
    ignoreText = readFileSync(ignoreFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ContextError(`error reading .dockerignore: ${(err as Error).message}`);
  }
  const excludes = trimBuildFilesFromExcludes(parseDockerignore(ignoreText), relDockerfile, i.file === '-');
  const body = packContext({ root, excludes, extraDockerfile: extra });
  return { body, dockerfile: extra ? extra.name : relDockerfile };
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
