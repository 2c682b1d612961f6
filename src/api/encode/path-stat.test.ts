import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePathStat } from './path-stat.ts';

test('the stat header is base64 JSON in Docker field order', () => {
  const v = encodePathStat({ name: 'd', size: 4096, mode: 2147484141, mtime: '2026-11-22T22:32:22.133373474Z', linkTarget: '' });
  assert.equal(v, 'eyJuYW1lIjoiZCIsInNpemUiOjQwOTYsIm1vZGUiOjIxNDc0ODQxNDEsIm10aW1lIjoiMjAyNi0xMS0yMlQyMjozMjoyMi4xMzMzNzM0NzRaIiwibGlua1RhcmdldCI6IiJ9');
});
