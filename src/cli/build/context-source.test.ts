import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { detectContextType, isArchiveHeader, isGitUrl, peekStream } from './context-source.ts';

test('context types as the docker CLI detects them', () => {
  const exists = (p: string) => p === 'dir';
  assert.equal(detectContextType('-', exists), 'stdin');
  assert.equal(detectContextType('dir', exists), 'local');
  assert.equal(detectContextType('https://h/r.git#main:sub', exists), 'git');
  assert.equal(detectContextType('git@github.com:a/b', exists), 'git');
  assert.equal(detectContextType('github.com/a/b', exists), 'git');
  assert.equal(detectContextType('https://h/ctx.tar.gz', exists), 'remote');
  assert.throws(() => detectContextType('nope', exists), /^Error: unable to prepare context: path "nope" not found$/);
  assert.equal(isGitUrl('http://h/x.git'), true);
  assert.equal(isGitUrl('http://h/x.gitx'), false);
});

test('stdin is an archive when compressed or a valid tar header, else a Dockerfile', () => {
  assert.equal(isArchiveHeader(Buffer.from([0x1f, 0x8b, 0x08, 0])), true);
  assert.equal(isArchiveHeader(Buffer.from('FROM busybox\n')), false);
  const block = Buffer.alloc(512);
  block.write('Dockerfile', 0);
  block.write('0000644\0', 100);
  block.write('00000000001\0', 124);
  block.write('ustar\x0000', 257);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  assert.equal(isArchiveHeader(block), true);
  block[0] = 0x41;
  assert.equal(isArchiveHeader(block), false);
});

test('a peeked stream replays its head before the rest', async () => {
  const { head, whole } = await peekStream(Readable.from([Buffer.from('abc'), Buffer.from('defgh')]), 4);
  assert.equal(head.toString(), 'abcdefgh');
  const chunks: Buffer[] = [];
  for await (const c of whole) chunks.push(c as Buffer);
  assert.equal(Buffer.concat(chunks).toString(), 'abcdefgh');
});
