import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { DiffId, Digest } from '../../oci/digest.ts';
import { BlobSources } from './blob-sources.ts';

const diff = `sha256:${'1'.repeat(64)}` as DiffId;
const gz = { digest: `sha256:${'a'.repeat(64)}` as Digest, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 10 };
const zst = { digest: `sha256:${'b'.repeat(64)}` as Digest, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', size: 8 };

test('blob sources keep the latest blob and repository first, and survive a reload', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'blob-sources-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = new BlobSources(dir);
  await s.load();
  await s.add(diff, gz, 'h:5000/a');
  await s.add(diff, zst);
  await s.add(diff, gz, 'h:5000/b');
  assert.deepEqual(s.get(diff).map((b) => [b.digest, b.repositories]), [
    [gz.digest, ['h:5000/b', 'h:5000/a']],
    [zst.digest, []],
  ]);
  await s.forget(diff, gz.digest, 'h:5000/a');
  const again = new BlobSources(dir);
  await again.load();
  assert.deepEqual(again.get(diff)[0]!.repositories, ['h:5000/b']);
  assert.deepEqual([...again.blobsOf([diff, `sha256:${'2'.repeat(64)}`])].sort(), [gz.digest, zst.digest]);
});
