/**
 * `remote=` contexts, told apart as dockerd tells them: a git URL
 * (`git://…`, `git@…`, `github.com/…`, or an http(s) URL whose path ends
 * in `.git`, with an optional `#ref:subdir`) is cloned with git; another
 * http(s) URL is downloaded, and its body is the Dockerfile itself when it
 * is text/plain, else a (maybe compressed) tar; anything else is
 * `remoteURL (x) could not be recognized as URL`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { execFile } from '../../drivers/exec-file.ts';
import { httpGet, type GetReply } from './http-get.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';

export type RemoteContext =
  | { kind: 'dockerfile'; text: string }
  | { kind: 'tar'; stream: Readable }
  /** A checkout: `root` is the clone (or its subdirectory). */
  | { kind: 'directory'; root: string };

/** dockerd's urlutil regexp, its unescaped dot included (`…/xgit` counts too). */
const GIT_URL_SUFFIX = /.git(?:#.+)?$/;

export function isUrl(s: string): boolean {
  return s.startsWith('http://') || s.startsWith('https://');
}

export function isGitUrl(s: string): boolean {
  if (isUrl(s) && GIT_URL_SUFFIX.test(s)) return true;
  return ['git://', 'github.com/', 'git@'].some((p) => s.startsWith(p));
}

/** `url` fetched into `root` (a new empty directory inside `scratch`). */
/**
 * How far a download got, as dockerd's progress reader reports it: every
 * 512 KiB and at the end (`current` bytes); then `end` once the body was
 * read whole as a Dockerfile (dockerd writes an empty message there).
 */
export type DownloadProgress = (event: { current: number } | { end: 'dockerfile' }) => void;

export async function fetchRemoteContext(url: string, root: string, signal?: AbortSignal, onDownload?: DownloadProgress): Promise<RemoteContext> {
  if (isGitUrl(url)) return { kind: 'directory', root: await gitClone(url, root, signal) };
  if (isUrl(url)) return download(url, signal, onDownload);
  throw new SystemError(`remoteURL (${url}) could not be recognized as URL`);
}

/** `url#ref:subdir` split as dockerd's gitutils splits it (github.com/… gets https://). */
export function parseGitUrl(url: string): { remote: string; ref: string; subdir: string } {
  let remote = url.startsWith('github.com/') ? `https://${url}` : url;
  let fragment = '';
  const hash = remote.indexOf('#');
  if (hash >= 0) {
    fragment = remote.slice(hash + 1);
    remote = remote.slice(0, hash);
  }
  const colon = fragment.indexOf(':');
  // dockerd's default ref is `master`, whatever the repository's default branch.
  const ref = (colon >= 0 ? fragment.slice(0, colon) : fragment) || 'master';
  const subdir = colon >= 0 ? fragment.slice(colon + 1) : '';
  if (ref.startsWith('-')) throw new InvalidParameterError(`invalid refspec: ${ref}`);
  return { remote, ref, subdir };
}

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PROTOCOL_FROM_USER: '0' };

async function git(cwd: string, args: string[], signal?: AbortSignal): Promise<string> {
  const result = await execFile('git', args, { cwd, env: GIT_ENV, timeoutMs: 10 * 60_000, signal, okCodes: [0, 1, 128] });
  // dockerd's words: the command's combined output, then Go's exec error.
  if (result.code !== 0) throw new SystemError(`${result.stderr}${result.stdout}: exit status ${result.code}`);
  return result.stdout;
}

async function gitClone(url: string, root: string, signal?: AbortSignal): Promise<string> {
  const { remote, ref, subdir } = parseGitUrl(url);
  try {
    await git(root, ['init', '-q'], signal);
  } catch (err) {
    throw new SystemError(`failed to init repo at ${root}: ${(err as Error).message}`);
  }
  await git(root, ['remote', 'add', 'origin', remote], signal).catch((err: Error) => {
    throw new SystemError(`failed add origin repo at ${remote}: ${err.message}`);
  });
  try {
    await git(root, ['fetch', '-q', '--depth', '1', 'origin', ref], signal);
  } catch {
    // A server without shallow fetches, or a ref that is a commit: fetch it all.
    try {
      await git(root, ['fetch', '-q', 'origin', ref], signal);
    } catch (err) {
      throw new SystemError(`error fetching: ${(err as Error).message}`);
    }
  }
  try {
    await git(root, ['checkout', '-q', ref], signal);
  } catch (err) {
    try {
      await git(root, ['checkout', '-q', 'FETCH_HEAD'], signal);
    } catch {
      throw new SystemError(`error checking out ${ref}: ${(err as Error).message}`);
    }
  }
  try {
    await git(root, ['submodule', 'update', '--init', '--recursive', '--depth=1'], signal);
  } catch (err) {
    throw new SystemError(`error initializing submodules: ${(err as Error).message}`);
  }
  if (subdir === '') return root;
  const dir = path.join(root, subdir);
  if (dir !== root && !dir.startsWith(root + '/')) throw new SystemError(`error setting git context, ${JSON.stringify(subdir)} not within git root`);
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch {
    throw new SystemError(`stat ${dir}: no such file or directory`);
  }
  const realRoot = await fs.realpath(root);
  if (real !== realRoot && !real.startsWith(realRoot + '/')) throw new SystemError(`error setting git context, ${JSON.stringify(subdir)} not within git root`);
  if (!(await fs.stat(real)).isDirectory()) throw new SystemError(`error setting git context, not a directory: ${real}`);
  return real;
}

const ARCHIVE_MAGIC: [number[], string][] = [
  [[0x1f, 0x8b], 'application/x-gzip'],
  [[0x42, 0x5a, 0x68], 'application/x-bzip2'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'application/x-xz'],
];
/** The types dockerd accepts for a remote context (its selectAcceptableMIME). */
const ACCEPTABLE = /^(text\/plain|application\/(x-)?(tar|gzip|bzip2|xz|x-tar|x-gzip|x-bzip2|x-xz))/;

/** Go's http.DetectContentType, for the cases that matter here: an archive, text, or something else. */
function sniff(head: Buffer): string {
  for (const [magic, type] of ARCHIVE_MAGIC) if (magic.every((b, i) => head[i] === b)) return type;
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'application/x-tar';
  const binary = head.some((b) => b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f));
  return binary ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

/** dockerd's progress reader: an update each time this many more bytes went through. */
const UPDATE_EVERY = 512 * 1024;

function counting(onDownload: DownloadProgress | undefined): Transform {
  let current = 0;
  let reported = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      current += chunk.length;
      if (current - reported > UPDATE_EVERY) {
        reported = current;
        onDownload?.({ current });
      }
      cb(null, chunk);
    },
    flush(cb) {
      if (current !== reported || current === 0) onDownload?.({ current });
      cb();
    },
  });
}

async function download(url: string, signal?: AbortSignal, onDownload?: DownloadProgress): Promise<RemoteContext> {
  let response: GetReply;
  try {
    response = await httpGet(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new SystemError(`error downloading remote context ${url}: Get ${JSON.stringify(url)}: ${(err as Error).message}`);
  }
  if (response.status >= 400) {
    const chunks: Buffer[] = [];
    for await (const c of response.body) chunks.push(c as Buffer);
    throw new SystemError(`error downloading remote context ${url}: failed to GET ${url} with status ${response.status} ${response.statusText}: ${Buffer.concat(chunks).toString('utf8')}`);
  }
  const body: Readable = response.body;
  const reader = body.pipe(counting(onDownload));
  body.on('error', (err) => reader.destroy(err));
  const { head, whole } = await readHead(reader, 512);
  if (head.length === 0) throw new SystemError('empty response');
  const declared = response.headers['content-type'] ?? '';
  let type = declared;
  if (type === '' || type === 'application/octet-stream') type = sniff(head);
  if (!ACCEPTABLE.test(type)) throw new SystemError(`unsupported Content-Type ${JSON.stringify(declared)}`);
  if (type.startsWith('text/plain')) {
    const parts: Buffer[] = [];
    for await (const chunk of whole) parts.push(chunk as Buffer);
    onDownload?.({ end: 'dockerfile' });
    return { kind: 'dockerfile', text: Buffer.concat(parts).toString('utf8') };
  }
  return { kind: 'tar', stream: whole };
}

/** The first `n` bytes (fewer at the end), and the whole stream again for the next reader. */
async function readHead(stream: Readable, n: number): Promise<{ head: Buffer; whole: Readable }> {
  const it = stream[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    parts.push(next.value as Buffer);
    have += (next.value as Buffer).length;
  }
  async function* again(): AsyncGenerator<Buffer> {
    yield* parts;
    if (done) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value as Buffer;
  }
  return { head: Buffer.concat(parts).subarray(0, n), whole: Readable.from(again(), { objectMode: false }) };
}
