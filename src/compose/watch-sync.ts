/**
 * How `compose watch` puts changed files into a service's containers, as
 * Docker Compose's tar syncer does: the paths still on the host go into one
 * tar (directories walked, symlinks kept as links, owners and modes of the
 * host files, the last entry winning for a name) extracted at `/` with
 * PUT /containers/{id}/archive?copyUIDGID=1; the paths gone from the host
 * are removed with one `rm -rf` exec. Every container of the service
 * (stopped ones too) gets the same; errors are gathered, not fail-fast.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { containerArchivePut } from '../client/containers.ts';
import { execCreate, execInspect, execStartAttached } from '../client/exec.ts';
import type { ApiClient } from '../client/api-client.ts';
import { FrameDecoder, STDERR } from '../util/stdcopy.ts';
import { SystemError } from '../util/errors.ts';
import { byService, projectContainers } from './state.ts';
import type { PathMapping } from './watch-rules.ts';

interface Entry {
  hostPath: string;
  header: Partial<tar.Header> & { name: string };
}

/** Files at most this big are read whole (Compose's threshold); bigger ones are streamed. */
const BUFFER_LIMIT = 5_000_000;

async function entriesFor(hostPath: string, containerPath: string): Promise<Entry[]> {
  const top = await stat(hostPath).catch(() => undefined);
  if (!top) return [];
  const dest = containerPath.replace(/^\/+/, '');
  const out: Entry[] = [];
  const add = async (p: string, name: string) => {
    const st = await lstat(p).catch(() => undefined);
    if (!st) return;
    const base = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isSymbolicLink()) out.push({ hostPath: p, header: { ...base, type: 'symlink', linkname: await readlink(p) } });
    else if (st.isDirectory()) {
      out.push({ hostPath: p, header: { ...base, type: 'directory' } });
      for (const child of (await readdir(p)).sort()) await add(path.join(p, child), path.posix.join(name, child));
    } else if (st.isFile()) out.push({ hostPath: p, header: { ...base, type: 'file', size: st.size } });
    // Sockets, devices and fifos do not go into a tar; Docker skips them too.
  };
  if (top.isDirectory()) {
    out.push({ hostPath, header: { name: dest, mode: top.mode & 0o7777, uid: top.uid, gid: top.gid, mtime: top.mtime, type: 'directory' } });
    for (const child of (await readdir(hostPath)).sort()) await add(path.join(hostPath, child), path.posix.join(dest, child));
  } else {
    await add(hostPath, dest);
    // A symlinked file given as the path itself is copied as the file it points to.
    if (out[0]?.header.type === 'symlink') out[0] = { hostPath, header: { name: dest, mode: top.mode & 0o7777, uid: top.uid, gid: top.gid, mtime: top.mtime, type: 'file', size: top.size } };
  }
  return out;
}

/** The tar of the mappings; with `dropImpliedDirs`, no header for a directory that other entries fill. */
async function archive(mappings: PathMapping[], dropImpliedDirs: boolean): Promise<Readable> {
  const all: Entry[] = [];
  for (const m of mappings) all.push(...(await entriesFor(m.hostPath, m.containerPath)));
  const last = new Map<string, number>();
  all.forEach((e, i) => last.set(e.header.name, i));
  let entries = all.filter((e, i) => last.get(e.header.name) === i);
  if (dropImpliedDirs) {
    const holders = new Set(entries.map((e) => path.posix.dirname(e.header.name)));
    entries = entries.filter((e) => !(e.header.type === 'directory' && holders.has(path.posix.normalize(e.header.name))));
  }
  const pack = tar.pack();
  void (async () => {
    try {
      for (const e of entries) {
        if (e.header.type !== 'file') {
          pack.entry(e.header);
          continue;
        }
        if ((e.header.size ?? 0) < BUFFER_LIMIT) {
          // Read first so the header's size is what is written (the file may have changed since lstat).
          const data = await readFile(e.hostPath).catch(() => undefined);
          if (data) pack.entry({ ...e.header, size: data.length }, data);
          continue;
        }
        await new Promise<void>((resolve, reject) => {
          const sink = pack.entry(e.header, (err) => (err ? reject(err) : resolve()));
          createReadStream(e.hostPath).on('error', reject).pipe(sink);
        });
      }
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();
  return Readable.from(pack);
}

export interface ExecResult {
  exitCode: number;
  stderr: string;
}

/** Run a command in a container (no TTY, no stdin), its output handed to `output`; its exit code. */
export async function execIn(api: ApiClient, containerId: string, config: { Cmd: string[]; User?: string; Privileged?: boolean; WorkingDir?: string; Env?: string[] }, output?: (stream: number, data: Buffer) => void, stdout = false): Promise<ExecResult> {
  const { Id } = await execCreate(api, containerId, { AttachStdin: false, AttachStdout: stdout, AttachStderr: true, Tty: false, ...config });
  const conn = await execStartAttached(api, Id, false);
  const decoder = new FrameDecoder();
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    conn.on('data', (chunk) => {
      for (const f of decoder.push(chunk)) {
        if (f.stream === STDERR) stderr += f.payload.toString();
        output?.(f.stream, f.payload);
      }
    });
    conn.once('end', () => resolve());
    conn.once('close', () => resolve());
    conn.once('error', (err) => reject(err as Error));
  });
  conn.destroy();
  const info = await execInspect(api, Id);
  if (info.Running) throw new SystemError('process still running');
  return { exitCode: info.ExitCode ?? 0, stderr };
}

/** Copy the mappings into every container of a service (deleting what the host no longer has). */
export async function syncService(api: ApiClient, project: string, service: string, mappings: PathMapping[]): Promise<void> {
  const containers = byService(await projectContainers(api, project)).get(service) ?? [];
  const toCopy: PathMapping[] = [];
  const toDelete: string[] = [];
  for (const m of mappings) {
    const exists = await stat(m.hostPath).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return false;
        throw err;
      },
    );
    if (exists) toCopy.push(m);
    else if (m.containerPath) toDelete.push(m.containerPath);
  }
  const errors: string[] = [];
  await Promise.all(
    containers.map(async (c) => {
      if (toDelete.length) {
        try {
          const r = await execIn(api, c.Id, { Cmd: ['rm', '-rf', ...toDelete] });
          if (r.exitCode !== 0) errors.push(`deleting paths in ${c.Id}: exit code ${r.exitCode}`);
        } catch (err) {
          errors.push(`deleting paths in ${c.Id}: ${(err as Error).message}`);
        }
      }
      if (toCopy.length === 0) return;
      try {
        await containerArchivePut(api, c.Id, '/', await archive(toCopy, false), { copyUIDGID: true });
      } catch (err) {
        const first = (err as Error).message;
        if (!first.includes('cannot overwrite non-directory')) {
          errors.push(`copying files to ${c.Id}: ${first}`);
          return;
        }
        // A directory header for a path the container reaches through a symlink is refused: again without the implied ones.
        try {
          await containerArchivePut(api, c.Id, '/', await archive(toCopy, true), { copyUIDGID: true });
        } catch (again) {
          errors.push(`copying files to ${c.Id}: ${first}\n${(again as Error).message}`);
        }
      }
    }),
  );
  if (errors.length) throw new SystemError(errors.join('\n'));
}
