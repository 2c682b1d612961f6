/**
 * `docker push NAME[:TAG]`: an image's layers, config and manifest to a
 * registry, tag by tag (all the repository's tags without one), with
 * dockerd's progress (distribution/push_v2.go): `The push refers to
 * repository [h/n]`, per layer `Preparing`, `Waiting` (beyond the upload
 * slots), then `Layer already exists` / `Mounted from …` / `Pushing`+`Pushed`
 * (push-layer.ts), and per tag `<tag>: digest: sha256:… size: N` with the
 * aux {Tag, Digest, Size}. The manifest is Docker's schema 2 (OCI when the
 * layers are OCI blobs), its digest recorded as a RepoDigest.
 *
 * Nothing local changes but the blob-sources records, kept compressed blobs
 * and the RepoDigest: a push killed at any point is retried from scratch,
 * its finished blobs found by HEAD.
 */
import type { DiffId, Digest } from '../../oci/digest.ts';
import { sha256Digest } from '../../oci/digest.ts';
import type { Descriptor } from '../../oci/image.ts';
import { MEDIA_TYPE } from '../../oci/media-types.ts';
import { familiarName, familiarRepository, formatReference, parseReference, repositoryName, type Reference } from '../../oci/reference.ts';
import { Authenticator, type AuthConfig, parseChallenges } from '../../registry/client/auth.ts';
import { resolveEndpoints, type RegistryHostsConfig } from '../../registry/client/endpoints.ts';
import { send, discard } from '../../registry/client/http.ts';
import { RegistryClient, RegistryError } from '../../registry/client/registry-client.ts';
import { NotFoundError, UnauthorizedError } from '../../util/errors.ts';
import type { ProgressSink } from '../progress-event.ts';
import type { BlobSources } from './blob-sources.ts';
import type { ImageCatalog } from './image-catalog.ts';
import { recordRepoDigest } from '../distribution/repo-digests.ts';
import { pushLayer, sharedUpload, shortLayerId, uploadKept, type LayerPushContext } from './push-layer.ts';

export interface PushOptions {
  /** The repository (`127.0.0.1:5000/a/b`), as given to the route. */
  name: string;
  /** The tag; empty pushes every tag of the repository. */
  tag: string;
  auth: AuthConfig;
  progress: ProgressSink;
  /** Uploads at once (dockerd's max-concurrent-uploads, 5). */
  concurrency?: number;
}

export interface PushDeps {
  images: ImageCatalog;
  sources: BlobSources;
  registry: RegistryHostsConfig;
}

const DEFAULT_CONCURRENCY = 5;

/** The tags to push, as full references, with the image each names; dockerd's words when there are none. */
function tagsToPush(images: ImageCatalog, repo: Reference, tag: string): { ref: Reference; id: Digest }[] {
  const name = repositoryName(repo);
  if (tag) {
    const full = formatReference({ ...repo, tag });
    const id = images.store.refs.get(full);
    if (!id) throw new NotFoundError(`tag does not exist: ${familiarName({ ...repo, tag })}`);
    return [{ ref: { ...repo, tag }, id }];
  }
  const out: { ref: Reference; id: Digest }[] = [];
  for (const [full, id] of images.store.refs) {
    if (full.includes('@')) continue;
    const ref = parseReference(full);
    if (repositoryName(ref) === name && ref.tag !== undefined) out.push({ ref, id });
  }
  if (out.length === 0) throw new NotFoundError(`An image does not exist locally with the tag: ${familiarName(repo)}`);
  return out.sort((a, b) => (a.ref.tag! < b.ref.tag! ? -1 : a.ref.tag! > b.ref.tag! ? 1 : 0));
}

/** Push; resolves when every tag is pushed, throws dockerd's error otherwise. */
export async function pushImage(deps: PushDeps, o: PushOptions): Promise<void> {
  const parsed = parseReference(o.name);
  const repo: Reference = { domain: parsed.domain, path: parsed.path };
  const repository = repositoryName(repo);
  await o.progress({ kind: 'status', message: `The push refers to repository [${repository}]` });
  const targets = tagsToPush(deps.images, repo, o.tag || parsed.tag || '');
  const endpoints = await resolveEndpoints(repo.domain, deps.registry, { push: true });
  const auth = new Authenticator(o.auth);
  const client = await RegistryClient.connect(endpoints, repo.path, auth, { actions: ['pull', 'push'] });
  const ctx: LayerPushContext = { client, content: deps.images.content, layers: deps.images.layers, sources: deps.sources, repository, registry: repo.domain, progress: o.progress };
  try {
    for (const target of targets) await pushTag(deps, ctx, target.ref, target.id, o.concurrency ?? DEFAULT_CONCURRENCY);
  } catch (err) {
    throw await explain(err, client, o.auth);
  }
}

/** dockerd's words for a 401 without credentials on a basic-auth registry. */
async function explain(err: unknown, client: RegistryClient, creds: AuthConfig): Promise<unknown> {
  if (!(err instanceof RegistryError) || err.status !== 401) return err;
  if (creds.username || creds.identitytoken || creds.registrytoken) return new UnauthorizedError(err.message, { cause: err });
  try {
    const res = await send({ method: 'GET', url: `${client.endpoint.url}/v2/`, insecureTls: client.endpoint.insecureTls });
    discard(res);
    if (parseChallenges(res.headers['www-authenticate']).some((c) => c.scheme === 'basic')) return new UnauthorizedError('no basic auth credentials', { cause: err });
  } catch {
    // the registry went away meanwhile: its first answer is the better error
  }
  return new UnauthorizedError(err.message, { cause: err });
}

async function pushTag(deps: PushDeps, ctx: LayerPushContext, ref: Reference, id: Digest, concurrency: number): Promise<void> {
  const image = deps.images.get(id);
  if (!image) throw new NotFoundError(`An image does not exist locally with the tag: ${familiarName(ref)}`);
  const diffIds = image.config.rootfs?.diff_ids ?? [];
  // Top layer first, as dockerd lists and schedules them; layers shared by several positions are pushed once.
  const unique = [...new Set([...diffIds].reverse())];
  for (const d of unique) await ctx.progress({ kind: 'layer', id: shortLayerId(d), action: 'Preparing' });
  for (const d of unique.slice(concurrency)) await ctx.progress({ kind: 'layer', id: shortLayerId(d), action: 'Waiting' });
  const done = new Map<string, Descriptor>();
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < unique.length && failure === undefined) {
      const d = unique[next++]!;
      try {
        done.set(d, await pushLayer(ctx, d as DiffId));
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
  if (failure !== undefined) throw failure;
  const layers = diffIds.map((d) => done.get(d)!);
  const configBytes = await deps.images.content.readBuffer(id);
  const oci = layers.some((l) => l.mediaType.startsWith('application/vnd.oci.'));
  await sharedUpload(`${ctx.repository} ${id}`, async () => {
    if ((await ctx.client.headBlob(id)) === undefined) await uploadKept({ ...ctx, progress: () => undefined }, '', { digest: id, size: configBytes.length });
  });
  const manifest = {
    schemaVersion: 2,
    mediaType: oci ? MEDIA_TYPE.ociManifest : MEDIA_TYPE.dockerManifest,
    config: { mediaType: oci ? MEDIA_TYPE.ociConfig : MEDIA_TYPE.dockerConfig, size: configBytes.length, digest: id },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest })),
  };
  // Indented with three spaces, as docker/distribution's schema2 FromStruct marshals it.
  const bytes = Buffer.from(JSON.stringify(manifest, null, 3));
  const digest = sha256Digest(bytes);
  const res = await ctx.client.request('PUT', `manifests/${ref.tag}`, { body: bytes, headers: { 'content-type': manifest.mediaType } });
  discard(res);
  // Kept like a pulled manifest: the RepoDigest names a document the store has.
  await deps.images.content.ingestBuffer(bytes, digest);
  await recordRepoDigest(deps.images, ref, digest, id);
  await ctx.progress({ kind: 'status', message: `${ref.tag}: digest: ${digest} size: ${bytes.length}` });
  await ctx.progress({ kind: 'pushed', tag: ref.tag!, digest, size: bytes.length });
  // dockerd's ImageEventLogger: the pushed reference as the actor, the repository as its name.
  deps.images.publish('push', familiarName(ref), { name: familiarRepository(ref) });
}

