/**
 * `berth image bootstrap debian:SUITE[-slim]`: a real Debian image built
 * with mmdebstrap from the Debian archive the host's apt uses (never a
 * registry), so a machine without one can still `apt-get install` in a
 * container. The image is Docker's official debian image in shape: one
 * layer, `CMD ["bash"]`, the default PATH (see drivers/mmdebstrap.ts for
 * what goes into the root filesystem).
 *
 * Order, so that a failure leaves the stores as they were: the tool, the
 * mirror and the suite are checked first (one request for the suite's
 * InRelease: a 404 is an unknown suite, a failed connection an unreachable
 * mirror); then mmdebstrap's tar is unpacked while it is written, and only
 * once mmdebstrap has exited 0 is the image recorded and tagged. A layer
 * unpacked for a run that then failed is named by no image: the caller
 * sweeps it (ImageService.bootstrap holds with sweepAfter).
 *
 * Reproducible: SOURCE_DATE_EPOCH is the newest `Date:` of the suites'
 * Release files, so the same mirror state gives the same layer and image ID.
 * Hence the cache (`cacheDir`): `archives/` holds the .debs (synced in and
 * out by mmdebstrap's hooks), `rootfs/` the last tar of each suite and
 * variant, named after a hash of what determines it (sources, tool version,
 * Release dates) and its diff ID; while those are unchanged a bootstrap
 * unpacks that tar (checked against the diff ID) instead of running
 * mmdebstrap.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import type { DiffId, Digest } from '../../oci/digest.ts';
import type { LayerRecord } from '../../store/layers/layer-store.ts';
import type { ImageConfig } from '../../oci/image.ts';
import { formatReference, parseReference, type Reference } from '../../oci/reference.ts';
import { hostDebianMirrors, type DebianMirrors } from '../../drivers/apt-sources.ts';
import { mmdebstrapVersion, runMmdebstrap, type MmdebstrapPlan } from '../../drivers/mmdebstrap.ts';
import { ExecFailedError } from '../../drivers/exec-file.ts';
import { native } from '../../drivers/native.ts';
import { InvalidParameterError, NotFoundError, SystemError, UnavailableError } from '../../util/errors.ts';
import { ignoreProgress, type ProgressSink } from '../progress-event.ts';
import type { ImageIntent } from '../intents.ts';
import type { ImageCatalog } from './image-catalog.ts';
import { DEFAULT_PATH, goArch } from './create-image.ts';

/** Docker's version tags of Debian releases. */
const RELEASE_NUMBERS: Record<string, string> = { '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie', '14': 'forky' };

export interface DebianTarget {
  /** The full reference to tag (`docker.io/library/debian:bookworm-slim`). */
  ref: string;
  suite: string;
  slim: boolean;
}

/** `debian[:TAG]` → what to build; undefined for another repository. `latest` is `stable`, `12` is `bookworm`. */
export function parseDebianName(name: string): DebianTarget | undefined {
  const r: Reference = parseReference(name);
  if (r.domain !== 'docker.io' || r.path !== 'library/debian') return undefined;
  if (r.digest) throw new InvalidParameterError(`cannot bootstrap ${name}: a digest cannot be built`);
  const tag = r.tag ?? 'latest';
  const slim = tag.endsWith('-slim');
  const base = slim ? tag.slice(0, -'-slim'.length) : tag;
  const suite = base === 'latest' ? 'stable' : (RELEASE_NUMBERS[base] ?? base);
  if (!/^[a-z][a-z0-9-]*$/.test(suite)) throw new InvalidParameterError(`cannot bootstrap ${name}: "${base}" is not a Debian suite`);
  return { ref: formatReference({ ...r, tag }), suite, slim };
}

/** The `Date:` of a Release file, in seconds since the epoch. */
export function releaseDate(text: string): number | undefined {
  const m = /^Date:\s*(.+)$/m.exec(text);
  const ms = m ? Date.parse(m[1]!) : NaN;
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** GET `dists/SUITE/InRelease`: its date, `undefined` for a 404; a failed connection throws. */
async function fetchRelease(mirror: string, suite: string, signal?: AbortSignal): Promise<number | undefined> {
  const url = `${mirror}/dists/${suite}/InRelease`;
  let res: Response;
  try {
    res = await fetch(url, { signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new UnavailableError(`cannot reach the Debian mirror ${mirror}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
  }
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new UnavailableError(`cannot reach the Debian mirror ${mirror}: GET ${url}: ${res.status} ${res.statusText}`);
  }
  return releaseDate(await res.text()) ?? Math.floor(Date.now() / 1000);
}

export interface DebianBootstrapOptions {
  /** Where downloaded .debs are kept between runs. */
  cacheDir: string;
  /** The archive to use instead of the host's (`--mirror`). */
  mirror?: string;
  /** Pass mmdebstrap's own output on as it runs. */
  debug?: boolean;
  progress?: ProgressSink;
  signal?: AbortSignal;
}

/**
 * One run at a time per cache directory: two mmdebstraps syncing the same
 * .debs would race. Within the daemon a queue; across processes (two
 * daemons given the same cache) an flock on `<cacheDir>/.lock`.
 */
const cacheQueues = new Map<string, Promise<unknown>>();

export function bootstrapDebian(svc: ImageCatalog, target: DebianTarget, o: DebianBootstrapOptions): Promise<Digest> {
  const previous = cacheQueues.get(o.cacheDir) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withCacheLock(o, () => build(svc, target, o)));
  cacheQueues.set(o.cacheDir, run);
  void run.finally(() => {
    if (cacheQueues.get(o.cacheDir) === run) cacheQueues.delete(o.cacheDir);
  }).catch(() => undefined); // the caller hears of a failure through `run`
  return run;
}

async function withCacheLock<T>(o: DebianBootstrapOptions, fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(o.cacheDir, { recursive: true, mode: 0o755 });
  const lock = await fs.open(path.join(o.cacheDir, '.lock'), 'a', 0o644);
  try {
    let waited = false;
    while (!native().flock(lock.fd)) {
      if (!waited) await o.progress?.({ kind: 'status', message: `Waiting for another bootstrap using ${o.cacheDir}` });
      waited = true;
      o.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return await fn();
  } finally {
    await lock.close(); // releases the flock
  }
}

async function build(svc: ImageCatalog, target: DebianTarget, o: DebianBootstrapOptions): Promise<Digest> {
  const progress = o.progress ?? ignoreProgress;
  const name = target.ref.replace(/^docker\.io\/library\//, '');
  const version = await mmdebstrapVersion().catch((err: unknown) => {
    throw new SystemError(`cannot bootstrap ${name}: mmdebstrap is not installed (apt-get install mmdebstrap)`, { cause: err });
  });
  if (/\s/.test(o.cacheDir)) throw new InvalidParameterError(`cannot bootstrap ${name}: the cache directory ${o.cacheDir} has whitespace in its path`);
  const mirrors: DebianMirrors = o.mirror ? { archive: o.mirror.replace(/\/+$/, '') } : await hostDebianMirrors();
  if (!mirrors.archive) throw new InvalidParameterError(`cannot bootstrap ${name}: no Debian mirror in /etc/apt/sources.list or sources.list.d (give one with --mirror)`);
  const archive = mirrors.archive;
  if (!/^https?:\/\//.test(archive)) throw new InvalidParameterError(`cannot bootstrap ${name}: mirror ${archive} is not an http(s) URL`);

  await progress({ kind: 'status', message: `Checking ${archive} for ${target.suite}` });
  const main = await fetchRelease(archive, target.suite, o.signal);
  if (main === undefined) throw new NotFoundError(`cannot bootstrap ${name}: unknown Debian suite "${target.suite}" (no ${archive}/dists/${target.suite}/InRelease)`);
  // The point-release and security suites, where the mirrors serve them (sid has neither).
  const optional = async (mirror: string | undefined, suite: string) => (mirror ? fetchRelease(mirror, suite, o.signal).catch(() => undefined) : undefined);
  const [updates, security] = await Promise.all([optional(archive, `${target.suite}-updates`), optional(mirrors.security, `${target.suite}-security`)]);
  const sources = [`deb ${archive} ${target.suite} main`];
  if (updates !== undefined) sources.push(`deb ${archive} ${target.suite}-updates main`);
  if (security !== undefined) sources.push(`deb ${mirrors.security} ${target.suite}-security main`);
  const epoch = Math.max(main, updates ?? 0, security ?? 0);
  const snapshot = new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

  const archives = path.join(o.cacheDir, 'archives');
  const rootfsDir = path.join(o.cacheDir, 'rootfs');
  await fs.mkdir(archives, { recursive: true, mode: 0o755 });
  await fs.mkdir(rootfsDir, { recursive: true, mode: 0o755 });
  const plan: MmdebstrapPlan = { suite: target.suite, slim: target.slim, sources, cacheDir: archives };
  const variant = target.slim ? 'minbase, slim' : 'minbase';
  // The build is reproducible: the same plan, tool and Release dates give the same tar, kept from the last run.
  const prefix = `${target.suite}_${target.slim ? 'slim' : 'full'}_`; // `_` is in no suite name
  const key = prefix + createHash('sha256').update(JSON.stringify({ suite: target.suite, slim: target.slim, sources, version, epoch })).digest('hex').slice(0, 16);
  const hit = (await fs.readdir(rootfsDir)).find((f) => f.startsWith(`${key}.`) && f.endsWith('.tar'));

  const intent = await svc.journal.begin<ImageIntent>({ kind: 'image', op: 'bootstrap', refs: [target.ref] });
  try {
    let layer: LayerRecord | undefined;
    if (hit) {
      await progress({ kind: 'status', message: `Using the root filesystem built from the same Release files (${path.join(rootfsDir, hit)})` });
      const diffId = `sha256:${hit.slice(key.length + 1, -'.tar'.length)}` as DiffId;
      layer = await svc.layers.unpack(createReadStream(path.join(rootfsDir, hit)), undefined, { expectedDiffId: diffId }).catch(async () => {
        await fs.rm(path.join(rootfsDir, hit), { force: true }); // damaged: built again below
        return undefined;
      });
    }
    if (!layer) {
      const cached = (await fs.readdir(archives)).filter((f) => f.endsWith('.deb')).length;
      await progress({ kind: 'status', message: `Running ${version} --variant=minbase${target.slim ? ' (slim)' : ''} for ${target.suite} (${cached} packages cached in ${archives})` });
      layer = await runAndUnpack(svc, plan, { ...o, epoch, name, progress, rootfsDir, key, prefix });
    }
    await intent.note({ layers: [layer.chainId] });
    const value = layer;
    await progress({ kind: 'status', message: `Root filesystem: ${(value.size / 1e6).toFixed(1)} MB, layer ${value.diffId}` });

    const labels: Record<string, string> = {
      'org.opencontainers.image.source': archive,
      'org.opencontainers.image.version': target.suite,
      'io.berth.bootstrap.mirror': archive,
      'io.berth.bootstrap.suite': target.suite,
      'io.berth.bootstrap.variant': variant,
      'io.berth.bootstrap.tool': version,
      'io.berth.bootstrap.snapshot': snapshot,
      'io.berth.bootstrap.sources': sources.join('; '),
    };
    const config: ImageConfig = {
      architecture: goArch(),
      config: { Env: [DEFAULT_PATH], Cmd: ['bash'], Labels: labels },
      created: snapshot,
      history: [
        { created: snapshot, created_by: `berth image bootstrap ${name}: ${version} --variant=minbase${target.slim ? ' (slim dpkg filters)' : ''} ${target.suite} from ${archive} (Release of ${snapshot})` },
        { created: snapshot, created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
      ],
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [value.diffId] },
    };
    const id = await svc.createImage(config, undefined, intent);
    await svc.addReference(target.ref, id);
    return id;
  } finally {
    await intent.end();
  }
}

/**
 * mmdebstrap's tar, unpacked as it comes and written beside to
 * `rootfsDir/KEY.DIFFHEX.tar` (renamed there only once mmdebstrap exited 0;
 * older tars of the suite and variant are then removed).
 */
async function runAndUnpack(
  svc: ImageCatalog,
  plan: MmdebstrapPlan,
  o: DebianBootstrapOptions & { epoch: number; name: string; progress: ProgressSink; rootfsDir: string; key: string; prefix: string },
): Promise<LayerRecord> {
  const abort = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, abort.signal]) : abort.signal;
  const proc = runMmdebstrap(plan, {
    sourceDateEpoch: o.epoch,
    signal,
    onStderr: o.debug ? (chunk) => void o.progress({ kind: 'output', text: chunk.toString('utf8') }) : undefined,
  });
  const temp = path.join(o.rootfsDir, `.tmp-${process.pid}-${Date.now()}.tar`);
  const toLayer = new PassThrough();
  const toFile = createWriteStream(temp);
  // The unpacker hears the end of the tar only once mmdebstrap exited 0: a failed run (whose stdout just
  // closes, maybe empty) fails the unpack instead of making a layer of what it had written.
  proc.stdout.pipe(toLayer, { end: false });
  proc.stdout.pipe(toFile);
  const exited = proc.done.then(
    (r) => {
      proc.stdout.once('end', () => toLayer.end());
      if (proc.stdout.readableEnded) toLayer.end();
      return r;
    },
    (err: unknown) => {
      toLayer.destroy(err as Error);
      throw err;
    },
  );
  const written = new Promise<void>((resolve, reject) => {
    toFile.on('close', resolve);
    toFile.on('error', reject);
  });
  try {
    const unpacking = svc.layers.unpack(toLayer, undefined);
    unpacking.catch(() => abort.abort()); // a tar that does not unpack: stop mmdebstrap
    const [exit, layer, file] = await Promise.allSettled([exited, unpacking, written]);
    if (exit.status === 'rejected') {
      // mmdebstrap's own words go with a failure (with --debug they went by already).
      if (!o.debug && exit.reason instanceof ExecFailedError) await o.progress({ kind: 'output', text: tail(exit.reason.stderr, 25) });
      throw mmdebstrapFailed(o.name, exit.reason);
    }
    if (layer.status === 'rejected') throw layer.reason;
    if (file.status === 'fulfilled') {
      await fs.rename(temp, path.join(o.rootfsDir, `${o.key}.${layer.value.diffId.replace(/^sha256:/, '')}.tar`));
      for (const old of await fs.readdir(o.rootfsDir)) {
        if (old.startsWith(o.prefix) && !old.startsWith(`${o.key}.`)) await fs.rm(path.join(o.rootfsDir, old), { force: true });
      }
    }
    return layer.value;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** mmdebstrap's `E:` lines, on one line (its whole output is in the daemon's log at debug level). */
function mmdebstrapFailed(name: string, err: unknown): Error {
  if (!(err instanceof ExecFailedError)) return err as Error;
  const lines = err.stderr.split('\n').map((l) => l.trim());
  const errors = lines.filter((l) => l.startsWith('E:') && !/mmdebstrap failed to run|hookhelper failed/.test(l));
  const why = (errors.length ? errors : lines.filter(Boolean).slice(-3)).join('; ');
  return new SystemError(`cannot bootstrap ${name}: mmdebstrap failed (exit ${err.code ?? 'signal'}): ${why}`, { cause: err });
}

function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return `${all.slice(-lines).join('\n')}\n`;
}

/** The default download cache under a data root. */
export function defaultDebianCache(dataRoot: string): string {
  return path.join(dataRoot, 'cache', 'debian');
}
