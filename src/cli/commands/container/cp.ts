/**
 * `berth cp`: CONTAINER:SRC → DEST|- and SRC|- → CONTAINER:DEST. "-" moves
 * the tar stream itself; otherwise the archive is unpacked/packed locally
 * with tar-stream. Not yet: -a (uid/gid is sent), -L link following.
 */
import { createWriteStream, mkdirSync, statSync, readdirSync, createReadStream, lstatSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { CommandSpec } from '../../command.ts';
import { containerArchiveGet, containerArchivePut } from '../../../client/containers.ts';

function splitCpArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.') || arg === '-') return { path: arg };
  const i = arg.indexOf(':');
  return i > 0 ? { container: arg.slice(0, i), path: arg.slice(i + 1) } : { path: arg };
}

async function extractTo(source: NodeJS.ReadableStream, dest: string, srcBase: string): Promise<void> {
  const destIsDir = (() => {
    try {
      return statSync(dest).isDirectory();
    } catch {
      return false;
    }
  })();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    // The archive's first component is the source's basename; copying to a new name renames it.
    const rel = header.name.replace(/^\.?\/?/, '');
    const parts = rel.split('/');
    const target = destIsDir ? path.join(dest, rel) : path.join(dest, ...parts.slice(1));
    void srcBase;
    if (header.type === 'directory') {
      mkdirSync(target, { recursive: true, mode: header.mode });
      stream.resume();
      stream.on('end', next);
    } else if (header.type === 'file') {
      mkdirSync(path.dirname(target), { recursive: true });
      pipeline(stream, createWriteStream(target, { mode: header.mode })).then(() => next(), next);
    } else {
      stream.resume();
      stream.on('end', next);
    }
  });
  await pipeline(source, extract);
}

function packPath(src: string): tar.Pack {
  const pack = tar.pack();
  const base = path.basename(src);
  const add = async (abs: string, name: string): Promise<void> => {
    const st = lstatSync(abs);
    if (st.isDirectory()) {
      pack.entry({ name, type: 'directory', mode: st.mode & 0o7777, mtime: st.mtime });
      for (const child of readdirSync(abs)) await add(path.join(abs, child), `${name}/${child}`);
    } else if (st.isFile()) {
      const entry = pack.entry({ name, size: st.size, mode: st.mode & 0o7777, mtime: st.mtime });
      await pipeline(createReadStream(abs), entry);
    }
  };
  add(src, base).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  return pack;
}

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  short: 'Copy files/folders between a container and the local filesystem',
  aliases: ['container cp', 'cp'],
  args: { exact: 2 },
  flags: [
    { long: 'archive', short: 'a', type: 'bool', usage: 'Archive mode (copy all uid/gid information)' },
    { long: 'follow-link', short: 'L', type: 'bool', usage: 'Always follow symbol link in SRC_PATH' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  ],
  async run({ cli, flags, args }) {
    const src = splitCpArg(args[0] ?? '');
    const dst = splitCpArg(args[1] ?? '');
    const api = cli.api();
    if (src.container && dst.container) throw new Error('copying between containers is not supported');
    if (!src.container && !dst.container) throw new Error('must specify at least one container source');
    if (src.container) {
      const res = await containerArchiveGet(api, src.container, src.path);
      if (dst.path === '-') await pipeline(res, cli.out);
      else await extractTo(res, dst.path, path.basename(src.path));
      return;
    }
    const body: NodeJS.ReadableStream = src.path === "-" ? cli.streams.stdin : (packPath(src.path) as unknown as NodeJS.ReadableStream);
    await containerArchivePut(api, dst.container ?? '', dst.path, body, { copyUIDGID: flags.bool('archive') });
  },
};
