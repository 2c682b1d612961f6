import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkManifest } from './manifest-check.ts';
import { RegistryError } from './errors.ts';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const body = (o: unknown) => Buffer.from(JSON.stringify(o));
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof RegistryError ? err.code : 'other';
  }
  return 'none';
};

test('an image manifest names its config and layers; artifactType falls back to the config media type', () => {
  const m = checkManifest(body({ schemaVersion: 2, mediaType: OCI, config: { mediaType: 'application/x.cfg', digest: d('a'), size: 1 }, layers: [{ mediaType: 'x', digest: d('b'), size: 2 }], subject: { mediaType: OCI, digest: d('c'), size: 3 } }), OCI);
  assert.deepEqual(m.blobs, [d('a'), d('b')]);
  assert.equal(m.subject, d('c'));
  assert.equal(m.artifactType, 'application/x.cfg');
});

test('an index names manifests; Docker schema2 types are kept', () => {
  const mt = 'application/vnd.docker.distribution.manifest.list.v2+json';
  const m = checkManifest(body({ schemaVersion: 2, mediaType: mt, manifests: [{ digest: d('a'), size: 1, mediaType: 'x' }] }), mt);
  assert.equal(m.mediaType, mt);
  assert.deepEqual(m.manifests, [d('a')]);
});

test('the media type comes from the body, else from Content-Type', () => {
  const m = checkManifest(body({ schemaVersion: 2, config: { digest: d('a') }, layers: [] }), 'application/vnd.docker.distribution.manifest.v2+json; charset=utf-8');
  assert.equal(m.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
});

test('bad manifests are MANIFEST_INVALID', () => {
  assert.equal(code(() => checkManifest(Buffer.from('{'), OCI)), 'MANIFEST_INVALID');
  assert.equal(code(() => checkManifest(body({ schemaVersion: 1 }), OCI)), 'MANIFEST_INVALID');
  assert.equal(code(() => checkManifest(body({ schemaVersion: 2, mediaType: OCI, config: { digest: d('a') }, layers: [] }), 'application/vnd.oci.image.index.v1+json')), 'MANIFEST_INVALID');
  assert.equal(code(() => checkManifest(body({ schemaVersion: 2, mediaType: OCI, layers: [] }), OCI)), 'MANIFEST_INVALID');
  assert.equal(code(() => checkManifest(body({ schemaVersion: 2, mediaType: OCI, config: { digest: 'x' }, layers: [] }), OCI)), 'MANIFEST_INVALID');
});
