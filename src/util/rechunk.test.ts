import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rechunk } from './rechunk.ts';

async function collect(source: AsyncIterable<Buffer>): Promise<{ sizes: number[]; error?: string }> {
  const sizes: number[] = [];
  try {
    for await (const c of source) sizes.push(c.length);
  } catch (err) {
    return { sizes, error: (err as Error).message };
  }
  return { sizes };
}

async function* chunks(sizes: number[], failAfter?: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < sizes.length; i++) {
    if (i === failAfter) throw new Error('cut');
    yield Buffer.alloc(sizes[i]!, i);
  }
}

test('rechunk gathers chunks into at least the size asked, the last one what is left', async () => {
  const cases: { in: number[]; size: number; out: number[]; failAfter?: number; error?: string }[] = [
    { in: [], size: 4, out: [] },
    { in: [1, 1, 1, 1, 1], size: 4, out: [4, 1] },
    { in: [3, 3, 3], size: 4, out: [6, 3] },
    { in: [10], size: 4, out: [10] },
    { in: [2, 2, 2, 2], size: 4, out: [4, 4] },
    { in: [1, 1, 1, 1, 1, 1], size: 4, out: [4, 1], failAfter: 5, error: 'cut' },
    { in: [1, 1], size: 4, out: [], failAfter: 0, error: 'cut' },
  ];
  for (const c of cases) {
    const got = await collect(rechunk(chunks(c.in, c.failAfter), c.size));
    assert.deepEqual(got, c.error ? { sizes: c.out, error: c.error } : { sizes: c.out }, JSON.stringify(c));
  }
});

test('rechunk keeps the bytes in order', async () => {
  const out: Buffer[] = [];
  for await (const c of rechunk(chunks([1, 2, 3]), 2)) out.push(c);
  assert.deepEqual(Buffer.concat(out), Buffer.from([0, 1, 1, 2, 2, 2]));
});
