/**
 * `docker pull` (POST /images/create?fromImage=…) as dockerd 20.10 does it,
 * with the same JSON progress messages, and faster: layers are unpacked while
 * they download.
 *
 * Flow for one tag: HEAD the manifest (its digest), GET it (by digest), pick
 * the platform's manifest from an index, GET the config. If the image (the
 * config's digest) is here already, only the tag and repo digest are set
 * ("Image is up to date"). Else each layer whose chain is in the layer store
 * "Already exists"; the others download, up to `maxConcurrentDownloads` at
 * once ("Waiting" beyond): the HTTP body is written to the blob's resumable
 * partial file (content store `partial/`) and, in the same pass, fed to the
 * layer unpacker (LayerStore.prepare), which verifies the DiffID the config
 * names. A cut connection or a 5xx retries with back-off, resuming with a
 * Range request from the bytes kept (replayed into the unpacker from the
 * file); a daemon killed mid-pull resumes the same way at the next pull.
 * When a layer's bytes are all in, its digest is checked; once its DiffID is
 * too, the compressed blob goes into the content store and is recorded as
 * the layer's tar (BlobSources: the uncompressed tar is not kept). Then the
 * layers are put in place bottom up on their parents, the manifest(s) and
 * config stored, and the shared install step records the image and its
 * tag; the repo digest (`repo@sha256:…` of what the tag named) last. Nothing
 * a failure leaves is referenced by a record; prepared layers are removed.
 */
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { chainIds, sha256Digest, type ChainId, type DiffId, type Digest } from '../../oci/digest.ts';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from '../../oci/image.ts';
import { isIndexMediaType, isManifestMediaType, MEDIA_TYPE } from '../../oci/media-types.ts';
import { familiarName, familiarRepository, formatReference, parseReference, repositoryName, type Reference } from '../../oci/reference.ts';
import { Authenticator, type AuthConfig } from '../../registry/client/auth.ts';
import { resolveEndpoints, type Endpoint, type RegistryHostsConfig } from '../../registry/client/endpoints.ts';
import { readBody, TransportError } from '../../registry/client/http.ts';
import { backoffDelay, DEFAULT_RETRY, RegistryClient, RegistryError, type ManifestResponse, type RetryPolicy } from '../../registry/client/registry-client.ts';
import type { PartialWriter } from '../../store/content/content-store.ts';
import type { PreparedLayer } from '../../store/layers/layer-store.ts';
import { BerthError, InvalidParameterError, NotFoundError, SystemError } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { rechunk } from '../../util/rechunk.ts';
import type { ImageCatalog } from '../images/image-catalog.ts';
import { installImage } from '../images/install.ts';
import { formatPlatform, hostPlatform, parsePlatform, type Platform } from '../images/platform.ts';
import { ignoreProgress, type ProgressSink } from '../progress-event.ts';
import { matchingManifests } from './platform-match.ts';
import { recordRepoDigest } from './repo-digests.ts';

export interface DistributionConfig extends RegistryHostsConfig {
  /** dockerd's max-concurrent-downloads (default 3). */
  maxConcurrentDownloads?: number;
  retry?: RetryPolicy;
}

export interface PullRequest {
  /** `fromImage`: a name, possibly with a tag or digest. */
  fromImage: string;
  /** `tag`: a tag or a digest; empty with a bare name means every tag (`pull -a`). */
  tag?: string;
  /** `platform`: `os/arch[/variant]`; empty for the daemon's. */
  platform?: string;
  auth?: AuthConfig;
}

/** dockerd's postImagesCreate: fromImage (a trailing `:` dropped) and tag (or digest) combined. */
export function pullReference(fromImage: string, tag = ''): Reference {
  const ref = parseReference(fromImage.replace(/:$/, ''));
  if (tag === '') return ref;
  if (/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(tag)) {
    if (!/^sha256:[a-f0-9]{64}$/.test(tag)) throw new InvalidParameterError(tag.startsWith('sha256:') ? 'invalid checksum digest length' : 'unsupported digest algorithm');
    return { domain: ref.domain, path: ref.path, digest: tag as Digest };
  }
  return { domain: ref.domain, path: ref.path, tag: parseTagWords(tag) };
}

function parseTagWords(tag: string): string {
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new InvalidParameterError('invalid reference format');
  return tag;
}

/** dockerd's TranslatePullError: the registry's "not found" codes name the reference; the rest is a 500. */
export function translatePullError(err: unknown, ref: Reference): Error {
  if (err instanceof RegistryError && err.errors.length > 0) {
    const first = err.errors[0]!;
    const cause = `${first.code.toLowerCase().replace(/_/g, ' ')}: ${first.message}`;
    if (first.code === 'DENIED') return new NotFoundError(`pull access denied for ${familiarRepository(ref)}, repository does not exist or may require 'docker login': ${cause}`);
    if (first.code === 'MANIFEST_UNKNOWN') return new NotFoundError(`manifest for ${familiarName(ref)} not found: ${cause}`);
    if (first.code === 'NAME_UNKNOWN') return new NotFoundError(`repository ${familiarRepository(ref)} not found: ${cause}`);
    return new SystemError(cause);
  }
  if (err instanceof NotFoundError || err instanceof InvalidParameterError || err instanceof SystemError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  return new SystemError(e.message);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A download reaches the partial file, the hash and the unpacker in chunks of 1 MiB (see util/rechunk.ts). */
const FEED_CHUNK = 1 << 20;

/** A short layer ID as Docker shows it: 12 hex digits of the blob digest. */
export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** A counting semaphore (the download slots). */
class Slots {
  private free: number;
  private readonly waiters: (() => void)[] = [];
  constructor(n: number) {
    this.free = n;
  }
  tryTake(): boolean {
    if (this.free > 0) {
      this.free--;
      return true;
    }
    return false;
  }
  async take(): Promise<void> {
    if (this.tryTake()) return;
    await new Promise<void>((r) => this.waiters.push(r));
  }
  give(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}

/** Serialises work per key (one download of a blob at a time in this daemon). */
class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

interface Resolved {
  /** What the tag or digest named (an index or a manifest): the repo digest. */
  digest: Digest;
  /** The manifests' bytes to keep (index and/or manifest), by digest. */
  blobs: Map<Digest, Buffer>;
  manifest: ImageManifest;
}

export class Puller {
  private readonly downloads = new KeyedMutex();

  constructor(
    private readonly svc: ImageCatalog,
    private readonly config: DistributionConfig = {},
  ) {}

  /** `POST /images/create?fromImage=`: pull one tag or digest, or every tag of a bare name. */
  async pull(req: PullRequest, progress: ProgressSink = ignoreProgress): Promise<void> {
    const ref = pullReference(req.fromImage, req.tag ?? '');
    const platform = req.platform ? parsePlatform(req.platform) : hostPlatform();
    const auth = new Authenticator(req.auth ?? {});
    // Blobs and layers of a pull that fails are unreferenced: swept when it ends (the partial downloads stay, for a retry).
    // Those of a pull that succeeds are named by its repo digest (reclaim.ts keeps what a repo digest's manifest names).
    await this.svc.hold(async () => {
      await this.withEndpoint(ref, auth, async (client) => {
        if (ref.tag === undefined && ref.digest === undefined) {
          const tags = await listTags(client);
          let updated = false;
          for (const tag of tags) updated = (await this.pullOne(client, { ...ref, tag }, platform, progress)) || updated;
          await progress({ kind: 'status', message: `Status: ${updated ? 'Downloaded newer image' : 'Image is up to date'} for ${familiarName(ref)}` });
          return;
        }
        const updated = await this.pullOne(client, ref, platform, progress);
        await progress({ kind: 'status', message: `Status: ${updated ? 'Downloaded newer image' : 'Image is up to date'} for ${familiarName(ref)}` });
      });
    });
  }

  /**
   * Run `fn` with a client of the first endpoint that works: mirrors first
   * (any failure falls through to the next), then HTTPS, then HTTP for
   * insecure hosts (a network or TLS failure falls through). The last
   * endpoint's error is the one reported, translated as dockerd does.
   */
  async withEndpoint<T>(ref: Reference, auth: Authenticator, fn: (client: RegistryClient, endpoint: Endpoint) => Promise<T>): Promise<T> {
    const endpoints = await resolveEndpoints(ref.domain, this.config);
    let last: unknown;
    for (const ep of endpoints) {
      const client = new RegistryClient(ep, ref.path, auth, { retry: this.config.retry ?? DEFAULT_RETRY, userAgent: 'berth/0.1.0 (linux)' });
      try {
        await client.ping();
      } catch (err) {
        last = err;
        log.debug('registry endpoint unusable', { url: ep.url, error: (err as Error).message });
        continue;
      }
      try {
        return await fn(client, ep);
      } catch (err) {
        last = err;
        if (ep.mirror && !(err instanceof StreamStarted)) {
          log.info('pull from mirror failed, trying the next endpoint', { url: ep.url, error: (err as Error).message });
          continue;
        }
        throw translatePullError(err instanceof StreamStarted ? err.cause : err, ref);
      }
    }
    throw translatePullError(last, ref);
  }

  /** The manifest or index the tag or digest names (HEAD for a tag's digest, then GET by digest, as dockerd). */
  async fetchTop(client: RegistryClient, ref: Reference): Promise<ManifestResponse> {
    let wanted: string;
    if (ref.digest) wanted = ref.digest;
    else {
      const head = await client.headManifest(ref.tag!);
      if (!head) throw new RegistryError(404, [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }], 'manifest unknown: manifest unknown');
      wanted = head.digest ?? ref.tag!;
    }
    return client.getManifest(wanted);
  }

  /** The platform's manifest (through an index), with the documents to keep. */
  async resolve(client: RegistryClient, top: ManifestResponse, platform: Platform): Promise<Resolved> {
    const blobs = new Map<Digest, Buffer>([[top.digest, top.bytes]]);
    const doc = JSON.parse(top.bytes.toString('utf8')) as Omit<ImageManifest, 'schemaVersion'> & Omit<ImageIndex, 'schemaVersion'> & { schemaVersion?: number };
    if (doc.schemaVersion === 1) throw new SystemError(`media type ${top.mediaType} is no longer supported: Docker Image manifest version 2, schema 1 is not supported`);
    if (isIndexMediaType(top.mediaType) || Array.isArray(doc.manifests)) {
      const candidates = matchingManifests(doc.manifests ?? [], platform);
      if (candidates.length === 0) throw new SystemError(`no matching manifest for ${formatPlatform(platform)} in the manifest list entries`);
      const child = await client.getManifest(candidates[0]!.digest);
      blobs.set(child.digest, child.bytes);
      const m = JSON.parse(child.bytes.toString('utf8')) as ImageManifest;
      if (!m.config || !Array.isArray(m.layers)) throw new SystemError(`unsupported manifest media type ${child.mediaType}`);
      return { digest: top.digest, blobs, manifest: m };
    }
    if (!doc.config || !Array.isArray(doc.layers)) throw new SystemError(`unsupported manifest media type ${top.mediaType}`);
    return { digest: top.digest, blobs, manifest: doc as ImageManifest };
  }

  /** Pull one tag or digest; true when the reference now names another image than before. */
  private async pullOne(client: RegistryClient, ref: Reference, platform: Platform, progress: ProgressSink): Promise<boolean> {
    const top = await this.fetchTop(client, ref);
    // dockerd: the tag, or the whole reference (`host/name@sha256:…`) when pulled by digest.
    const tagOrDigest = ref.digest ? formatReference(ref) : ref.tag!;
    // From here on dockerd has written its first message: failures go into the stream.
    await progress({ kind: 'status', message: `Pulling from ${ref.path}`, id: tagOrDigest });
    try {
      const resolved = await this.resolve(client, top, platform);
      return await this.fetchAndInstall(client, ref, resolved, progress);
    } catch (err) {
      throw new StreamStarted(err);
    }
  }

  private async fetchAndInstall(client: RegistryClient, ref: Reference, resolved: Resolved, progress: ProgressSink): Promise<boolean> {
    const m = resolved.manifest;
    const configId = m.config.digest;
    const fullRef = formatReference(ref);
    const before = this.svc.store.refs.get(fullRef);

    let config: Buffer;
    let downloaded = new Set<number>();
    const known = this.svc.get(configId);
    if (known) {
      config = Buffer.alloc(0);
    } else {
      config = await this.fetchConfig(client, m.config);
      const c = JSON.parse(config.toString('utf8')) as ImageConfig;
      if (m.config.mediaType && m.config.mediaType !== MEDIA_TYPE.dockerConfig && m.config.mediaType !== MEDIA_TYPE.ociConfig) {
        throw new SystemError(`Encountered remote "${m.config.mediaType}"(unknown) when fetching`);
      }
      const diffIds = c.rootfs?.diff_ids ?? [];
      if (diffIds.length !== m.layers.length) throw new SystemError('layers from manifest don\'t match image configuration');
      downloaded = await this.fetchLayers(client, m.layers, diffIds, repositoryName(ref), progress);
    }
    for (const [d, bytes] of resolved.blobs) await this.svc.content.ingestBuffer(bytes, d);
    await progress({ kind: 'status', message: `Digest: ${resolved.digest}` });
    let id: Digest;
    if (known) {
      id = configId;
      if (ref.tag !== undefined) await this.svc.addReference(fullRef, id, { quiet: true });
    } else {
      id = await installImage(this.svc, { config, layerBlobs: m.layers.map((l) => l.digest), tags: ref.tag !== undefined ? [formatReference(ref)] : [] }, { quietTags: true });
    }
    for (const i of downloaded) await this.svc.content.discardPartial(m.layers[i]!.digest);
    await recordRepoDigest(this.svc, ref, resolved.digest, id);
    // dockerd's v2 metadata: each layer's blob and where it came from, so that a push
    // sends these bytes, skips this repository's blobs and mounts from it (blob-sources.ts).
    // The downloaded layers' blobs were recorded before their layers were committed.
    const diffIds = this.svc.get(id)?.config.rootfs?.diff_ids ?? [];
    for (let i = 0; i < m.layers.length && i < diffIds.length; i++) {
      if (downloaded.has(i)) continue;
      const l = m.layers[i]!;
      await this.svc.sources.add(diffIds[i]!, { digest: l.digest, mediaType: l.mediaType, size: l.size }, repositoryName(ref));
    }
    this.svc.publish('pull', familiarName(ref), { name: familiarRepository(ref) });
    return ref.tag === undefined ? !known : before !== id;
  }

  private async fetchConfig(client: RegistryClient, desc: Descriptor): Promise<Buffer> {
    if (await this.svc.content.has(desc.digest)) return this.svc.content.readBuffer(desc.digest);
    const { stream } = await client.getBlob(desc.digest);
    const bytes = await readBody(stream, 64 << 20);
    if (sha256Digest(bytes) !== desc.digest) throw new SystemError(`image config verification failed for digest ${desc.digest}`);
    return bytes;
  }

  /** Download and unpack the missing layers; put them in place bottom up. Returns the indexes of those downloaded. */
  private async fetchLayers(client: RegistryClient, layers: Descriptor[], diffIds: readonly DiffId[], repository: string, progress: ProgressSink): Promise<Set<number>> {
    const chain = chainIds(diffIds);
    const present = await Promise.all(chain.map(async (c, i) => this.svc.layers.has(c) && (await this.svc.layers.hasTar(diffIds[i]!))));
    // A layer is present only with all below it (chains include their parents).
    const firstMissing = present.indexOf(false);
    const missing = firstMissing === -1 ? [] : layers.map((_, i) => i).filter((i) => i >= firstMissing);
    const seen = new Set<string>();
    for (let i = 0; i < layers.length; i++) {
      const id = shortId(layers[i]!.digest);
      if (seen.has(id)) continue;
      seen.add(id);
      await progress({ kind: 'layer', id, action: missing.includes(i) ? 'Pulling fs layer' : 'Already exists' });
    }
    if (missing.length === 0) return new Set();

    const slots = new Slots(Math.max(1, this.config.maxConcurrentDownloads ?? 3));
    const waiting: number[] = [];
    const granted = new Set<number>();
    for (const i of missing) {
      if (slots.tryTake()) granted.add(i);
      else waiting.push(i);
    }
    for (const i of waiting) await progress({ kind: 'layer', id: shortId(layers[i]!.digest), action: 'Waiting' });

    const committed: boolean[] = layers.map((_, i) => !missing.includes(i));
    const prepared = new Map<number, Promise<PreparedLayer>>();
    for (const i of missing) {
      const run = (async () => {
        if (!granted.has(i)) await slots.take();
        // The slot limits downloads (as dockerd's): it is given back once the bytes are in, while the unpack finishes.
        let held = true;
        const release = () => {
          if (held) slots.give();
          held = false;
        };
        try {
          return await this.downloadLayer(client, layers[i]!, diffIds[i]!, repository, progress, () => committed[i - 1] ?? true, release);
        } finally {
          release();
        }
      })();
      run.catch(() => undefined); // awaited below, in order
      prepared.set(i, run);
    }
    let parent: ChainId | undefined = firstMissing > 0 ? chain[firstMissing - 1] : undefined;
    let failure: unknown;
    for (const i of missing) {
      try {
        const p = await prepared.get(i)!;
        if (failure !== undefined) {
          await this.svc.layers.discardPrepared(p);
          continue;
        }
        const rec = await this.svc.layers.commitPrepared(p, parent);
        parent = rec.chainId;
        committed[i] = true;
        await progress({ kind: 'layer', id: shortId(layers[i]!.digest), action: 'Pull complete' });
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
    return new Set(missing);
  }

  /**
   * One layer: bytes from the registry into the partial file and the
   * unpacker at once, resuming with Range after a cut, verified at the end.
   * The layer's tar is not kept: once the unpacker has verified the DiffID,
   * the downloaded blob goes into the content store and is recorded as the
   * layer's (BlobSources), before the layer is committed, so that a layer in
   * the store always has a tar to save or push (a crash in between leaves an
   * unreferenced blob, swept at the next start).
   */
  private downloadLayer(client: RegistryClient, desc: Descriptor, diffId: DiffId, repository: string, progress: ProgressSink, parentDone: () => boolean, downloaded: () => void): Promise<PreparedLayer> {
    return this.downloads.run(desc.digest, async () => {
      const id = shortId(desc.digest);
      const total = desc.size;
      const feed = new PassThrough({ highWaterMark: 4 * FEED_CHUNK });
      const preparing = this.svc.layers.prepare(feed, { expectedDiffId: diffId, keepTar: false });
      // An unpack that fails (a corrupt stream) stops being fed; the download goes on so that
      // the digest check can say whether the blob or its content is at fault, as dockerd's order does.
      let unpackFailed = false;
      preparing.catch(() => {
        unpackFailed = true;
      });
      let partial: PartialWriter | undefined = await this.svc.content.openPartial(desc.digest);
      try {
        const write = async (chunk: Buffer): Promise<void> => {
          if (unpackFailed) return;
          if (!feed.write(chunk)) {
            await Promise.race([once(feed, 'drain'), preparing.then(() => undefined, () => undefined)]);
          }
        };
        let replayed = false;
        let lastReport = 0;
        const policy = this.config.retry ?? DEFAULT_RETRY;
        for (let attempt = 1; ; attempt++) {
          if (partial.offset >= total && total > 0) break;
          try {
            const { stream, start } = await client.getBlob(desc.digest, partial.offset);
            if (start === 0 && partial.offset > 0) {
              // The registry ignored the Range: start over.
              await partial.close();
              await this.svc.content.discardPartial(desc.digest);
              partial = await this.svc.content.openPartial(desc.digest);
              if (replayed) throw new SystemError('registry does not support Range requests and the download was cut');
            }
            if (!replayed) {
              replayed = true;
              if (partial.offset > 0) for await (const chunk of rechunk(partial.replay(), FEED_CHUNK)) await write(chunk);
            }
            for await (const buf of rechunk(stream, FEED_CHUNK)) {
              await partial.write(buf);
              await write(buf);
              const now = Date.now();
              if (now - lastReport >= 100 || partial.offset >= total) {
                lastReport = now;
                await progress({ kind: 'layer', id, action: 'Downloading', current: partial.offset, total });
              }
            }
            if (partial.offset < total) throw Object.assign(new Error('unexpected EOF'), { code: 'ECONNRESET' });
            break;
          } catch (err) {
            const retryable = err instanceof TransportError ? err.retryable : err instanceof RegistryError ? err.status >= 500 || err.status === 429 : isStreamCut(err);
            // A body cut short reads as Go's io.ErrUnexpectedEOF, the words dockerd gives up with.
            if (!retryable || attempt >= policy.attempts) throw isStreamCut(err) ? new SystemError('unexpected EOF') : err;
            log.info('layer download interrupted; resuming', { digest: desc.digest, offset: partial.offset, error: (err as Error).message });
            await sleep(backoffDelay(policy, attempt));
          }
        }
        if (!replayed && partial.offset > 0) for await (const chunk of rechunk(partial.replay(), FEED_CHUNK)) await write(chunk);
        downloaded();
        await progress({ kind: 'layer', id, action: 'Verifying Checksum' });
        try {
          await partial.finish();
        } catch {
          partial = undefined;
          throw new SystemError(`filesystem layer verification failed for digest ${desc.digest}`);
        }
        partial = undefined;
        if (!parentDone()) await progress({ kind: 'layer', id, action: 'Download complete' });
        feed.end();
        const p = await preparing;
        // A failure here discards the prepared layer below (`preparing` has resolved).
        // The partial file stays until the image is recorded (a retry after another layer fails replays it).
        await this.svc.content.linkPartial(desc.digest);
        await this.svc.sources.add(diffId, { digest: desc.digest, mediaType: desc.mediaType, size: desc.size }, repository);
        await progress({ kind: 'layer', id, action: 'Extracting', current: total, total });
        return p;
      } catch (err) {
        await partial?.close();
        feed.destroy(err as Error);
        const p = await preparing.catch(() => undefined);
        if (p) await this.svc.layers.discardPrepared(p);
        throw err;
      }
    });
  }
}

/** A failure after "Pulling from …" was written: not retried on another endpoint. */
class StreamStarted extends BerthError {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

function isStreamCut(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  const msg = (err as Error)?.message ?? '';
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || msg === 'aborted' || code === 'EPIPE' || code === 'ETIMEDOUT';
}

/** All tags, following the `Link` header's pages. */
async function listTags(client: RegistryClient): Promise<string[]> {
  const tags: string[] = [];
  let path = 'tags/list';
  for (let pages = 0; pages < 1000; pages++) {
    const res = await client.request('GET', path);
    const link = String(res.headers.link ?? '');
    const body = JSON.parse((await readBody(res)).toString('utf8')) as { tags?: string[] | null };
    tags.push(...(body.tags ?? []));
    const m = /<([^>]+)>;\s*rel="?next"?/.exec(link);
    if (!m) break;
    path = m[1]!.startsWith('/') ? m[1]! : m[1]!;
  }
  return tags.sort();
}
