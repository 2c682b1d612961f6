/**
 * Images made here rather than loaded: `docker import` (a rootfs tarball),
 * `docker commit` (a container's upper dir) and `berth image bootstrap busybox`
 * (built offline from the host's static busybox, deterministically: the same
 * host binary always gives the same image ID).
 */
import { readdirSync } from 'node:fs';
import { tarError } from './load.ts';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { ChainId, Digest } from '../../oci/digest.ts';
import type { ImageConfig, ImageRunConfig } from '../../oci/image.ts';
import { formatReference, parseReference, withDefaultTag } from '../../oci/reference.ts';
import { execFile } from '../../drivers/exec-file.ts';
import type { LayerRecord } from '../../store/layers/layer-store.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { ImageCatalog } from './image-catalog.ts';
import { applyChanges, mergeCommitConfig } from './parse-changes.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';
import { failpoint } from '../../util/failpoint.ts';
import { fetchImportSource, importUrl } from './import-source.ts';
import { ignoreProgress, type ProgressSink } from '../progress-event.ts';
import type { ImageIntent, ImageIntentHandle } from '../intents.ts';

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const BUSYBOX = '/usr/bin/busybox';
const BOOTSTRAP_TIME = new Date('2024-01-01T00:00:00Z');

export function goArch(arch = os.arch()): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[arch] ?? arch;
}

/** `repo[:tag]` plus a separate tag → full reference, or undefined. */
function targetRef(repo?: string, tag?: string): string | undefined {
  if (!repo) return undefined;
  const ref = parseReference(tag ? `${repo}:${tag}` : repo);
  if (ref.digest) throw new InvalidParameterError('cannot import digest reference');
  return formatReference(withDefaultTag(ref));
}

export interface ImportOptions {
  repo?: string;
  tag?: string;
  changes?: string[];
  message?: string;
  platform?: string;
}

/** A rootfs tarball: a stream (the request's body) or a URL the daemon fetches. */
export type ImportSource = { stream: Readable } | { url: string };

/**
 * `docker import`. The changes are checked, and a URL fetched, before the
 * first event: those failures are the request's (an HTTP error), later ones
 * are reported in the progress stream.
 */
export async function importImage(svc: ImageCatalog, source: ImportSource, o: ImportOptions, progress: ProgressSink = ignoreProgress): Promise<Digest> {
  applyChanges({}, o.changes ?? []);
  let tarball: Readable;
  if ('url' in source) {
    const url = importUrl(source.url);
    tarball = await fetchImportSource(url);
    await progress({ kind: 'status', message: `Downloading from ${url}` });
  } else {
    tarball = source.stream;
  }
  let ref: string | undefined;
  let runConfig: ImageRunConfig;
  let layer: LayerRecord;
  let intent: ImageIntentHandle | undefined;
  try {
    ref = targetRef(o.repo, o.tag);
    runConfig = applyChanges({}, o.changes ?? []);
    intent = await svc.journal.begin<ImageIntent>({ kind: 'image', op: 'import', refs: ref ? [ref] : [] });
    layer = await svc.layers.unpack(tarball, undefined);
  } catch (err) {
    await intent?.end();
    if ('url' in source) tarball.destroy(); // the download is ours to end
    throw tarError(err);
  }
  try {
    return await recordImport(svc, o, { ref, runConfig, layer, intent });
  } finally {
    await intent.end();
  }
}

async function recordImport(svc: ImageCatalog, o: ImportOptions, made: { ref?: string; runConfig: ImageRunConfig; layer: LayerRecord; intent: ImageIntentHandle }): Promise<Digest> {
  const { ref, runConfig, layer, intent } = made;
  await intent.note({ layers: [layer.chainId] });
  failpoint('layer-unpacked');
  const created = nowRfc3339Nano();
  const [pos, parch] = (o.platform ?? '').split('/');
  const config: ImageConfig = {
    architecture: parch || goArch(),
    comment: o.message || 'Imported from -',
    config: runConfig,
    created,
    history: [{ created, comment: o.message || 'Imported from -' }],
    os: pos || 'linux',
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
  };
  const id = await svc.createImage(config, undefined, intent);
  // dockerd tags first, then announces the import.
  if (ref) await svc.addReference(ref, id);
  svc.publish('import', id);
  return id;
}

export interface CommitOptions {
  containerId?: string;
  /** The container's Config, recorded as container_config; what the new config leaves unset comes from it. */
  containerConfig: ImageRunConfig;
  /** The config given with the commit request (its changes are applied to it). */
  config?: ImageRunConfig;
  upperDir: string;
  parentImageId: string;
  repo?: string;
  tag?: string;
  author?: string;
  comment?: string;
  changes?: string[];
  /** The commit's record in the journal of operations in flight (begun by the caller, which may pause the container). */
  intent?: ImageIntentHandle;
}

export async function commitImage(svc: ImageCatalog, o: CommitOptions): Promise<Digest> {
  const ref = targetRef(o.repo, o.tag);
  const parent = svc.get(o.parentImageId);
  // dockerd: the changes apply to the request's config, or to the container's when the request has none.
  const runBase = o.config && Object.keys(o.config).length > 0 ? o.config : o.containerConfig;
  const newConfig = mergeCommitConfig(applyChanges(runBase, o.changes ?? []), o.containerConfig);
  // dockerd adds no layer for a container that changed nothing (an empty layer in the history only).
  const changed = readdirSync(o.upperDir).length > 0;
  const layer = changed ? await svc.layers.unpack(svc.layers.diffTar(o.upperDir), parent?.record.chainId as ChainId | undefined) : undefined;
  await o.intent?.note({ refs: ref ? [ref] : [], layers: layer ? [layer.chainId] : [] });
  failpoint('layer-unpacked');
  const created = nowRfc3339Nano();
  const base = parent?.config;
  const config: ImageConfig = {
    architecture: base?.architecture ?? goArch(),
    author: o.author ?? '',
    comment: o.comment ?? '',
    config: newConfig,
    container: o.containerId ?? '',
    container_config: o.containerConfig,
    created,
    history: [
      ...(base?.history ?? []),
      { created, author: o.author ?? '', created_by: (o.containerConfig.Cmd ?? []).join(' '), comment: o.comment ?? '', ...(layer ? {} : { empty_layer: true }) },
    ],
    os: base?.os ?? 'linux',
    rootfs: { type: 'layers', diff_ids: [...(base?.rootfs.diff_ids ?? []), ...(layer ? [layer.diffId] : [])] },
  };
  if (!config.author) delete config.author;
  const id = await svc.createImage(config, parent?.record.id, o.intent);
  // A commit is announced as the container's event (with the new image), not the image's.
  if (ref) await svc.addReference(ref, id);
  return id;
}

/** The busybox rootfs as a tar: /bin/busybox, a hardlink per applet, a minimal /etc. */
async function busyboxTar(): Promise<Readable> {
  const binary = await fs.readFile(BUSYBOX); // ~1-2 MB static binary
  const { stdout } = await execFile(BUSYBOX, ['--list']);
  const applets = stdout.split('\n').map((s) => s.trim()).filter((s) => s && s !== 'busybox' && /^[\w.[\]-]+$/.test(s)).sort();
  const pack = tar.pack();
  const mtime = BOOTSTRAP_TIME;
  const entry = (h: Partial<tar.Header> & { name: string }, body?: Buffer | string) =>
    new Promise<void>((res, rej) => {
      const header = { mtime, uid: 0, gid: 0, ...h };
      const cb = (e?: Error | null) => (e ? rej(e) : res());
      if (body !== undefined) pack.entry(header, body, cb);
      else pack.entry(header, cb);
    });
  const fill = async () => {
    for (const [d, mode] of [['bin', 0o755], ['dev', 0o755], ['etc', 0o755], ['home', 0o755], ['proc', 0o755], ['root', 0o700], ['sys', 0o755], ['tmp', 0o1777], ['usr', 0o755], ['usr/bin', 0o755], ['usr/sbin', 0o755], ['var', 0o755], ['var/spool', 0o755], ['var/spool/mail', 0o755], ['var/www', 0o755]] as const) {
      await entry({ name: `${d}/`, type: 'directory', mode });
    }
    await entry({ name: 'bin/busybox', mode: 0o755 }, binary);
    for (const a of applets) await entry({ name: `bin/${a}`, type: 'link', linkname: 'bin/busybox', mode: 0o755 });
    // The user database of the busybox image on Docker Hub (buildroot's skeleton), so `id` reads the same.
    await entry({ name: 'etc/group', mode: 0o644 }, BUSYBOX_GROUP);
    await entry({ name: 'etc/passwd', mode: 0o644 }, BUSYBOX_PASSWD);
    await entry({ name: 'etc/shadow', mode: 0o640 }, 'root:*:10933:0:99999:7:::\nnobody:*:10933:0:99999:7:::\n');
  };
  fill().then(() => pack.finalize(), (err: unknown) => pack.destroy(err as Error));
  return Readable.from(pack);
}

export async function bootstrapBusybox(svc: ImageCatalog, name = 'busybox:latest'): Promise<Digest> {
  const ref = formatReference(withDefaultTag(parseReference(name)));
  const layer = await svc.layers.unpack(await busyboxTar(), undefined);
  const created = BOOTSTRAP_TIME.toISOString().replace('.000Z', 'Z');
  const config: ImageConfig = {
    architecture: goArch(),
    config: { Env: [DEFAULT_PATH], Cmd: ['sh'] },
    created,
    history: [{ created, created_by: 'berth image bootstrap busybox (from the host /usr/bin/busybox)' }],
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
  };
  const id = await svc.createImage(config);
  await svc.addReference(ref, id);
  return id;
}

const BUSYBOX_PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'bin:x:2:2:bin:/bin:/bin/false',
  'sys:x:3:3:sys:/dev:/bin/false',
  'sync:x:4:100:sync:/bin:/bin/sync',
  'mail:x:8:8:mail:/var/spool/mail:/bin/false',
  'www-data:x:33:33:www-data:/var/www:/bin/false',
  'operator:x:37:37:Operator:/var:/bin/false',
  'nobody:x:65534:65534:nobody:/home:/bin/false',
  '',
].join('\n');

const BUSYBOX_GROUP = [
  'root:x:0:', 'daemon:x:1:', 'bin:x:2:', 'sys:x:3:', 'adm:x:4:', 'tty:x:5:', 'disk:x:6:', 'lp:x:7:', 'mail:x:8:', 'kmem:x:9:',
  'wheel:x:10:root', 'cdrom:x:11:', 'dialout:x:18:', 'floppy:x:19:', 'video:x:28:', 'audio:x:29:', 'tape:x:32:', 'www-data:x:33:',
  'operator:x:37:', 'utmp:x:43:', 'plugdev:x:46:', 'staff:x:50:', 'lock:x:54:', 'netdev:x:82:', 'users:x:100:', 'nobody:x:65533:',
  'nogroup:x:65534:', '',
].join('\n');
