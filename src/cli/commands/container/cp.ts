/**
 * `berth cp`: CONTAINER:SRC → DEST|- and SRC|- → CONTAINER:DEST. "-" moves
 * the tar stream itself; otherwise the archive is unpacked/packed locally
 * with tar-stream: directories, files, symlinks and hard links, with their
 * modes and times (and owners with -a). -L follows a symlink given as the
 * source, keeping the link's name as docker does.
 */
import { createWriteStream, mkdirSync, statSync, readdirSync, createReadStream, lstatSync, symlinkSync, linkSync, readlinkSync, rmSync, utimesSync, lutimesSync, lchownSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { CommandSpec } from '../../command.ts';
import { containerArchiveGet, containerArchivePut, containerArchiveStat } from '../../../client/containers.ts';
import { ApiError } from '../../../client/errors.ts';
import { writableOf } from '../../streams/output.ts';

function splitCpArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.') || arg === '-') return { path: arg };
  const i = arg.indexOf(':');
  return i > 0 ? { container: arg.slice(0, i), path: arg.slice(i + 1) } : { path: arg };
}

/**
 * Unpack a container archive at `dest`. The archive's first component is the
 * source's basename (`from`, or the link's target with -L); copying to a
 * path that is not an existing directory renames it to that path.
 */
async function extractTo(source: NodeJS.ReadableStream, dest: string, rename: { from?: string; to?: string }, keepOwners: boolean): Promise<void> {
  const destIsDir = (() => {
    try {
      return statSync(dest).isDirectory();
    } catch {
      return false;
    }
  })();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    let rel = header.name.replace(/^\.?\/?/, '').replace(/\/$/, '');
    const parts = rel.split('/');
    if (rename.from && rename.to && parts[0] === rename.from) rel = [rename.to, ...parts.slice(1)].join('/');
    const target = destIsDir ? path.join(dest, rel) : path.join(dest, ...rel.split('/').slice(1));
    const finish = (err?: unknown) => {
      if (err) return next(err as Error);
      try {
        if (keepOwners && header.uid !== undefined && header.gid !== undefined) lchownSync(target, header.uid, header.gid);
        if (header.mtime) (header.type === 'symlink' ? lutimesSync : utimesSync)(target, header.mtime, header.mtime);
      } catch {
        // Times and owners are best effort, as for docker's local extraction.
      }
      next();
    };
    mkdirSync(path.dirname(target), { recursive: true });
    if (header.type === 'directory') {
      mkdirSync(target, { recursive: true, mode: header.mode });
      stream.resume();
      stream.on('end', () => finish());
    } else if (header.type === 'file') {
      pipeline(stream, createWriteStream(target, { mode: header.mode })).then(() => finish(), finish);
    } else if (header.type === 'symlink' || header.type === 'link') {
      stream.resume();
      stream.on('end', () => {
        try {
          if (existsSync(target) || lstatExists(target)) rmSync(target, { force: true });
          if (header.type === 'symlink') symlinkSync(header.linkname ?? '', target);
          else linkSync(destIsDir ? path.join(dest, header.linkname ?? '') : path.join(dest, ...(header.linkname ?? '').split('/').slice(1)), target);
          finish();
        } catch (err) {
          finish(err);
        }
      });
    } else {
      stream.resume();
      stream.on('end', next);
    }
  });
  await pipeline(source, extract);
}

function lstatExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function packPath(src: string, followLink: boolean, base = path.basename(src)): tar.Pack {
  const pack = tar.pack();
  const add = async (abs: string, name: string, top: boolean): Promise<void> => {
    const st = top && followLink ? statSync(abs) : lstatSync(abs);
    const common = { name, mode: st.mode & 0o7777, mtime: st.mtime, uid: st.uid, gid: st.gid };
    if (st.isDirectory()) {
      pack.entry({ ...common, type: 'directory' });
      for (const child of readdirSync(abs)) await add(path.join(abs, child), `${name}/${child}`, false);
    } else if (st.isSymbolicLink()) {
      pack.entry({ ...common, type: 'symlink', linkname: readlinkSync(abs) });
    } else if (st.isFile()) {
      const entry = pack.entry({ ...common, size: st.size });
      await pipeline(createReadStream(abs), entry);
    }
  };
  add(src, base, true).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  return pack;
}

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  short: 'Copy files or directories into or out of a container',
  aliases: ['container cp', 'cp'],
  args: { exact: 2 },
  flags: [
    { long: 'archive', short: 'a', type: 'bool', usage: 'Keep file owners (uid/gid) as they are' },
    { long: 'follow-link', short: 'L', type: 'bool', usage: 'Copy what a symlink in SRC_PATH points to, not the link' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print no progress while copying (never printed without a terminal)' },
  ],
  async run({ cli, flags, args }) {
    const src = splitCpArg(args[0] ?? '');
    const dst = splitCpArg(args[1] ?? '');
    const api = cli.api();
    if (src.container && dst.container) throw new Error('copying between containers is not supported');
    if (!src.container && !dst.container) throw new Error('must specify at least one container source');
    if (src.container) {
      let from = src.path;
      const rename: { from?: string; to?: string } = {};
      if (flags.bool('follow-link')) {
        const stat = await containerArchiveStat(api, src.container, src.path);
        if (stat?.linkTarget) {
          from = stat.linkTarget;
          rename.from = path.basename(stat.linkTarget);
          rename.to = path.basename(src.path);
        }
      }
      const res = await containerArchiveGet(api, src.container, from);
      if (dst.path === '-') await pipeline(res, writableOf(cli.out));
      else await extractTo(res, dst.path, rename, flags.bool('archive'));
      return;
    }
    const container = dst.container ?? '';
    if (src.path === '-') {
      await containerArchivePut(api, container, dst.path, cli.streams.stdin, { copyUIDGID: flags.bool('archive') });
      return;
    }
    // As docker: into an existing directory under the source's name; else into
    // the destination's parent under the destination's name.
    const target = await containerArchiveStat(api, container, dst.path).catch((err: unknown) => {
      if (err instanceof ApiError && err.statusCode === 404) return undefined;
      throw err;
    });
    const isDir = target !== undefined && target.mode >= 2 ** 31;
    const into = isDir ? dst.path : path.posix.dirname(dst.path.replace(/\/+$/, '') || '/');
    const name = isDir ? path.basename(src.path) : path.posix.basename(dst.path.replace(/\/+$/, ''));
    const body = packPath(src.path, flags.bool('follow-link'), name) as unknown as NodeJS.ReadableStream;
    await containerArchivePut(api, container, into, body, { copyUIDGID: flags.bool('archive') });
  },
};
