import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { PooledSha256 } from './pooled-sha256.ts';

const expected = (chunks: Buffer[]) => `sha256:${createHash('sha256').update(Buffer.concat(chunks)).digest('hex')}`;

test('the pooled hasher gives sha256 of everything given, whatever the chunking and timing', async () => {
  assert.equal(await new PooledSha256().digest(), expected([]));
  const sizes = [1, 0, 65536, 1024 * 1024 - 1, 3, 2 * 1024 * 1024 + 17, 5];
  const chunks = sizes.map((n) => randomBytes(n));
  const h = new PooledSha256();
  for (const [i, c] of chunks.entries()) {
    h.update(c);
    if (i % 2 === 1) await new Promise((r) => setImmediate(r)); // some while a batch is in flight
  }
  assert.equal(await h.digest(), expected(chunks));
  // Many small chunks: batched, in order.
  const small = Array.from({ length: 5000 }, (_, i) => Buffer.from(`line ${i}\n`.repeat(60)));
  const s = new PooledSha256();
  for (const c of small) s.update(c);
  assert.equal(await s.digest(), expected(small));
});
