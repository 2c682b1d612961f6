import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decompressed } from './decompress.ts';

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

const PLAIN = Buffer.from('a tar would be here\n'.repeat(1000));

test('plain, gzip, bzip2, xz and zstd streams come out as they went in', async () => {
  const forms: [string, Buffer][] = [
    ['plain', PLAIN],
    ['gzip', gzipSync(PLAIN)],
    ['bzip2', execFileSync('bzip2', ['-c'], { input: PLAIN })],
    ['xz', execFileSync('xz', ['-c'], { input: PLAIN })],
    ['zstd', execFileSync('zstd', ['-c', '-q'], { input: PLAIN })],
  ];
  for (const [name, bytes] of forms) {
    assert.equal(await text(await decompressed(Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]))), PLAIN.toString(), name);
  }
});

test('a corrupt compressed stream ends with the tool\'s error', async () => {
  const xz = execFileSync('xz', ['-c'], { input: PLAIN });
  const at = xz.length - 20;
  xz[at] = xz[at]! ^ 0xff;
  await assert.rejects(text(await decompressed(Readable.from([xz]))), /^SystemError: xz -d: /);
});
