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
import { Readable } from 'node:stream';
import { execFile } from '../../drivers/exec-file.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';

export type RemoteContext =
  | { kind: 'dockerfile'; text: string }
  | { kind: 'tar'; stream: Readable }
  /** A checkout: `root` is the clone (or its subdirectory). */
  | { kind: 'directory'; root: string };

const GIT_URL_SUFFIX = /\.git(?:#.+)?$/;

export function isUrl(s: string): boolean {
  return s.startsWith('http://') || s.startsWith('https://');
}

export function isGitUrl(s: string): boolean {
  if (isUrl(s) && GIT_URL_SUFFIX.test(s.split('?')[0] ?? s)) return true;
  return ['git://', 'github.com/', 'git@'].some((p) => s.startsWith(p));
}

/** `url` fetched into `root` (a new empty directory inside `scratch`). */
export async function fetchRemoteContext(url: string, root: string, signal?: AbortSignal): Promise<RemoteContext> {
  if (isGitUrl(url)) return { kind: 'directory', root: await gitClone(url, root, signal) };
  if (isUrl(url)) return download(url, signal);
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
  const ref = colon >= 0 ? fragment.slice(0, colon) : fragment;
  const subdir = colon >= 0 ? fragment.slice(colon + 1) : '';
  if (ref.startsWith('-')) throw new InvalidParameterError(`invalid refspec: ${ref}`);
  return { remote, ref, subdir };
}

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PROTOCOL_FROM_USER: '0' };

async function git(cwd: string, args: string[], signal?: AbortSignal): Promise<string> {
  const result = await execFile('git', args, { cwd, env: GIT_ENV, timeoutMs: 10 * 60_000, signal, okCodes: [0, 1, 128] });
  if (result.code !== 0) throw new GitError((result.stderr + result.stdout).trim());
  return result.stdout;
}

class GitError extends SystemError {}

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
  const refArgs = ref === '' ? [] : [ref];
  try {
    await git(root, ['fetch', '-q', '--depth', '1', 'origin', ...refArgs], signal);
  } catch {
    // A server without shallow fetches, or a ref that is a commit: fetch it all.
    try {
      await git(root, ['fetch', '-q', 'origin', ...refArgs], signal);
    } catch (err) {
      throw new SystemError(`error fetching: ${(err as Error).message}`);
    }
  }
  try {
    await git(root, ['checkout', '-q', ref || 'FETCH_HEAD'], signal);
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
  const dir = path.join(root, path.posix.normalize('/' + subdir));
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

async function download(url: string, signal?: AbortSignal): Promise<RemoteContext> {
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new SystemError(`error downloading remote context ${url}: ${cause}`);
  }
  if (response.status >= 400) {
    const body = await response.text().catch(() => '');
    throw new SystemError(`failed to GET ${url} with status ${response.status} ${response.statusText}: ${body}`);
  }
  if (!response.body) throw new SystemError('empty response');
  const reader = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const head = await readHead(reader, 512);
  if (head.length === 0) throw new SystemError('empty response');
  const declared = response.headers.get('content-type') ?? '';
  let type = declared;
  if (type === '' || type === 'application/octet-stream') type = sniff(head);
  if (!ACCEPTABLE.test(type)) throw new SystemError(`unsupported Content-Type ${JSON.stringify(declared)}`);
  if (type.startsWith('text/plain')) {
    const parts: Buffer[] = [];
    for await (const chunk of reader) parts.push(chunk as Buffer);
    return { kind: 'dockerfile', text: Buffer.concat(parts).toString('utf8') };
  }
  return { kind: 'tar', stream: reader };
}

/** The first `n` bytes (fewer at the end), put back for the next reader. */
async function readHead(stream: Readable, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    parts.push(chunk as Buffer);
    have += (chunk as Buffer).length;
    if (have >= n) break;
  }
  const head = Buffer.concat(parts);
  if (head.length > 0) stream.unshift(head);
  return head.subarray(0, n);
}
