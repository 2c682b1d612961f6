/**
 * The Copier (copier.ts) of the builder: COPY and ADD as the classic
 * builder does them, plus BuildKit's additions (--chmod, --checksum,
 * heredoc sources). Preparing resolves every source (copy-sources.ts),
 * downloads ADD's URLs (add-url.ts) and writes heredocs into a private
 * temporary directory, and computes the key (copy-key.ts); applying writes
 * each source in order (copy-apply.ts, add-archive.ts); dispose removes the
 * temporary directory.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Copier, CopyRequest, CopySourceRoot, PreparedCopy } from './copier.ts';
import { extractArchive, isArchive } from './add-archive.ts';
import { download, isUrl } from './add-url.ts';
import { copyDirectoryTo, copyFailure, copyFileTo, ensureDirectory, resolveDest, type CopyTarget } from './copy-apply.ts';
import { CopyExcludes } from './copy-excludes.ts';
import { resolveChown, type Identity } from './copy-chown.ts';
import { badChecksumUse, badChmod, copyFailed, destNotDirectory, urlForCopy } from './copy-errors.ts';
import { copyKey, downloadHash, inlineHash } from './copy-key.ts';
import { resolveSource, type CopyInfo } from './copy-sources.ts';
import { InvalidParameterError } from '../../util/errors.ts';

export interface FileCopierOptions {
  /** Where downloads and heredocs are staged (default: the system's temporary directory). */
  tmpDir?: string;
  /** The environment whose HTTP_PROXY, HTTPS_PROXY and NO_PROXY apply to downloads (default: the process's). */
  env?: NodeJS.ProcessEnv;
}

/** moby's normalizeDest: relative to WORKDIR, a trailing '/' kept. */
export function normalizeDest(workdir: string, dest: string): string {
  if (dest.startsWith('/')) return dest;
  const joined = path.posix.join('/', workdir, dest);
  return dest.endsWith('/') && !joined.endsWith('/') ? `${joined}/` : joined;
}

/** BuildKit's --chmod: an octal number up to 07777. */
export function parseChmod(chmod: string): number {
  if (!/^[0-7]+$/.test(chmod)) throw badChmod(chmod);
  const mode = Number.parseInt(chmod, 8);
  if (mode > 0o7777) throw badChmod(chmod);
  return mode;
}

/** go-digest's Parse, for sha256 (the algorithm BuildKit's HTTP source checks). */
export function parseChecksum(checksum: string): string {
  const i = checksum.indexOf(':');
  if (i <= 0 || i === checksum.length - 1) throw new InvalidParameterError('invalid checksum digest format');
  const algorithm = checksum.slice(0, i);
  const hex = checksum.slice(i + 1);
  if (!['sha256', 'sha384', 'sha512'].includes(algorithm)) throw new InvalidParameterError('unsupported digest algorithm');
  const length = { sha256: 64, sha384: 96, sha512: 128 }[algorithm];
  if (!/^[a-f0-9]+$/.test(hex) || hex.length !== length) throw new InvalidParameterError('invalid checksum digest length');
  if (algorithm !== 'sha256') throw new InvalidParameterError('unsupported digest algorithm');
  return checksum;
}

export class FileCopier implements Copier {
  constructor(private readonly options: FileCopierOptions = {}) {}

  async prepare(request: CopyRequest, from: CopySourceRoot): Promise<PreparedCopy> {
    const instruction = request.instruction;
    const chmod = request.chmod !== undefined && request.chmod !== '' ? parseChmod(request.chmod) : undefined;
    const checksum = request.checksum !== undefined && request.checksum !== '' ? checkChecksumUse(request) : undefined;
    const chown = request.chown !== undefined && request.chown !== '' ? request.chown : undefined;
    const excludes = new CopyExcludes(request.excludes);
    let tmp: string | undefined;
    const tmpDir = async (): Promise<string> => (tmp ??= await mkdtemp(path.join(this.options.tmpDir ?? os.tmpdir(), 'berth-copy-')));
    const dispose = async () => {
      if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
    };
    try {
      const infos: CopyInfo[] = [];
      for (const source of request.sources) {
        request.signal?.throwIfAborted();
        if (!isUrl(source)) {
          infos.push(...(await resolveSource(instruction, from, source, excludes)));
          continue;
        }
        if (instruction === 'COPY') throw urlForCopy();
        // One directory per download: two URLs may end in the same name.
        const dir = await mkdtemp(path.join(await tmpDir(), 'url-'));
        const d = await download(source, dir, { instruction, checksum, onProgress: request.onDownloadProgress, env: this.options.env, signal: request.signal });
        if (!d.named && request.dest.endsWith('/')) throw copyFailed(instruction, `cannot determine filename for source ${source}`);
        infos.push({ name: d.name, hostPath: d.hostPath, isDir: false, hash: downloadHash(d.name, d.digest, d.mtime), fromRoot: false });
      }
      for (const doc of request.inline) {
        const dir = await mkdtemp(path.join(await tmpDir(), 'inline-'));
        const name = path.posix.basename(doc.name);
        const hostPath = path.join(dir, name);
        await writeFile(hostPath, doc.content, { mode: 0o644 });
        infos.push({ name, hostPath, isDir: false, hash: inlineHash(name, doc.content), fromRoot: false });
      }
      if (infos.length > 1 && !request.dest.endsWith('/')) throw destNotDirectory(instruction);
      const dest = normalizeDest(request.workdir, request.dest);
      const key = copyKey(infos.map((i) => i.hash), { instruction, dest, chown, chmod: chmod?.toString(8), excludes: request.excludes });
      const preserveOwners = from.kind === 'image' && chown === undefined;
      return {
        key,
        apply: async (rootfs: string, signal?: AbortSignal) => {
          const owner: Identity = chown !== undefined ? await resolveChown(rootfs, chown) : { uid: 0, gid: 0 };
          for (const info of infos) {
            signal?.throwIfAborted();
            const target = { rootfs, owner: preserveOwners && info.fromRoot ? undefined : owner, mode: chmod, excludes, signal };
            await applyOne(instruction, info, dest, target);
          }
        },
        dispose,
      };
    } catch (err) {
      await dispose();
      throw err;
    }
  }
}

function checkChecksumUse(request: CopyRequest): string {
  if (request.instruction === 'COPY') throw badChecksumUse('COPY');
  if (request.sources.length + request.inline.length !== 1) throw badChecksumUse('multiple sources');
  if (!isUrl(request.sources[0] ?? '')) throw badChecksumUse('non-HTTP(S) sources');
  return parseChecksum(request.checksum!);
}

/** moby's performCopyForInfo, its failures in dockerd's words. */
async function applyOne(
  instruction: 'COPY' | 'ADD',
  info: CopyInfo,
  dest: string,
  target: CopyTarget,
): Promise<void> {
  try {
    await applyOneRaw(instruction, info, dest, target);
  } catch (err) {
    if (target.signal?.aborted) throw err;
    throw copyFailure(target.rootfs, err, info.isDir ? 'failed to copy directory' : undefined);
  }
}

async function applyOneRaw(
  instruction: 'COPY' | 'ADD',
  info: CopyInfo,
  dest: string,
  target: CopyTarget,
): Promise<void> {
  if (info.isDir) return copyDirectoryTo(info.hostPath, dest, target);
  if (instruction === 'ADD' && info.fromRoot && (await isArchive(info.hostPath, target.signal))) {
    // Unpacked with the archive's own owners: the classic builder gives --chown no say here.
    const resolved = await resolveDest(target.rootfs, dest);
    await ensureDirectory(target.rootfs, resolved.containerPath, { uid: 0, gid: 0 });
    return extractArchive(target.rootfs, info.hostPath, resolved.containerPath, target.signal);
  }
  const resolved = await resolveDest(target.rootfs, dest);
  const isDir = await stat(resolved.hostPath).then((s) => s.isDirectory(), () => false);
  const to = dest.endsWith('/') || isDir ? path.posix.join(resolved.containerPath, path.posix.basename(info.name)) : resolved.containerPath;
  await copyFileTo(info.hostPath, to, target);
}
