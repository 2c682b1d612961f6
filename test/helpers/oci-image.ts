/**
 * Tiny images made in a test and pushed to a registry with fetch (the
 * distribution spec's monolithic upload): layers from file maps (gzip, zstd
 * or plain), Docker schema2 or OCI manifests, and indexes of several
 * platforms. For tests of pull that need shapes the fixtures lack.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export type Compression = 'gzip' | 'zstd' | 'none';

export interface Blob {
  bytes: Buffer;
  digest: string;
  mediaType: string;
}

export interface MadeImage {
  config: Blob;
  layers: Blob[];
  manifest: Blob;
  diffIds: string[];
}

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export async function layerTar(files: Record<string, string | Buffer>): Promise<Buffer> {
  const pack = tar.pack();
  const done = (async () => {
    const parts: Buffer[] = [];
    for await (const c of pack) parts.push(c as Buffer);
    return Buffer.concat(parts);
  })();
  const mtime = new Date('2020-01-02T03:04:05Z');
  for (const [name, body] of Object.entries(files)) {
    pack.entry({ name, mode: 0o644, mtime, uid: 0, gid: 0 }, typeof body === 'string' ? Buffer.from(body) : body);
  }
  pack.finalize();
  return done;
}

function compress(raw: Buffer, c: Compression): Buffer {
  if (c === 'gzip') return gzipSync(raw);
  if (c === 'zstd') {
    const r = spawnSync('zstd', ['-c', '-q'], { input: raw, maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`zstd: ${r.stderr}`);
    return r.stdout;
  }
  return raw;
}

export async function makeImage(opts: { layers: Record<string, string | Buffer>[]; architecture?: string; variant?: string; compression?: Compression; oci?: boolean }): Promise<MadeImage> {
  const oci = opts.oci ?? false;
  const c = opts.compression ?? 'gzip';
  const layers: Blob[] = [];
  const diffIds: string[] = [];
  for (const files of opts.layers) {
    const raw = await layerTar(files);
    diffIds.push(sha(raw));
    const bytes = compress(raw, c);
    const mediaType = oci
      ? `application/vnd.oci.image.layer.v1.tar${c === 'gzip' ? '+gzip' : c === 'zstd' ? '+zstd' : ''}`
      : c === 'none'
        ? 'application/vnd.docker.image.rootfs.diff.tar'
        : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
    layers.push({ bytes, digest: sha(bytes), mediaType });
  }
  const cfg = {
    architecture: opts.architecture ?? 'amd64',
    ...(opts.variant ? { variant: opts.variant } : {}),
    os: 'linux',
    created: '2020-01-02T03:04:05Z',
    config: { Cmd: ['/bin/sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created: '2020-01-02T03:04:05Z', created_by: 'test' })),
  };
  const configBytes = Buffer.from(JSON.stringify(cfg));
  const config: Blob = { bytes: configBytes, digest: sha(configBytes), mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json' };
  const manifestDoc = {
    schemaVersion: 2,
    mediaType: oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: config.mediaType, size: configBytes.length, digest: config.digest },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.bytes.length, digest: l.digest })),
  };
  const mbytes = Buffer.from(JSON.stringify(manifestDoc));
  return { config, layers, manifest: { bytes: mbytes, digest: sha(mbytes), mediaType: manifestDoc.mediaType }, diffIds };
}

export function makeIndex(entries: { image: MadeImage; platform: { os: string; architecture: string; variant?: string } }[], oci = true): Blob {
  const mediaType = oci ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.docker.distribution.manifest.list.v2+json';
  const doc = {
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((e) => ({ mediaType: e.image.manifest.mediaType, size: e.image.manifest.bytes.length, digest: e.image.manifest.digest, platform: e.platform })),
  };
  const bytes = Buffer.from(JSON.stringify(doc));
  return { bytes, digest: sha(bytes), mediaType };
}

function authHeader(auth?: { user: string; pass: string }): Record<string, string> {
  return auth ? { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')}` } : {};
}

export async function pushBlob(host: string, repo: string, blob: Blob, auth?: { user: string; pass: string }): Promise<void> {
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: authHeader(auth) });
  await start.arrayBuffer();
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
  const loc = new URL(start.headers.get('location')!, `http://${host}`);
  loc.searchParams.set('digest', blob.digest);
  const put = await fetch(loc, { method: 'PUT', headers: { ...authHeader(auth), 'content-type': 'application/octet-stream' }, body: blob.bytes });
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
}

export async function putManifest(host: string, repo: string, ref: string, blob: Blob, auth?: { user: string; pass: string }): Promise<void> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { method: 'PUT', headers: { ...authHeader(auth), 'content-type': blob.mediaType }, body: blob.bytes });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`manifest put: ${res.status} ${text}`);
}

export async function pushImage(host: string, repo: string, tag: string, image: MadeImage, auth?: { user: string; pass: string }): Promise<void> {
  for (const b of [...image.layers, image.config]) await pushBlob(host, repo, b, auth);
  await putManifest(host, repo, tag, image.manifest, auth);
}
