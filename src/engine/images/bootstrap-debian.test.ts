import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDebianName, releaseDate } from './bootstrap-debian.ts';

test('debian names: suite, -slim, Docker\'s version and latest tags', () => {
  const table: Array<[string, ReturnType<typeof parseDebianName>]> = [
    ['debian:bookworm', { ref: 'docker.io/library/debian:bookworm', suite: 'bookworm', slim: false }],
    ['debian:bookworm-slim', { ref: 'docker.io/library/debian:bookworm-slim', suite: 'bookworm', slim: true }],
    ['docker.io/library/debian:trixie', { ref: 'docker.io/library/debian:trixie', suite: 'trixie', slim: false }],
    ['debian', { ref: 'docker.io/library/debian:latest', suite: 'stable', slim: false }],
    ['debian:12-slim', { ref: 'docker.io/library/debian:12-slim', suite: 'bookworm', slim: true }],
    ['debian:11', { ref: 'docker.io/library/debian:11', suite: 'bullseye', slim: false }],
    ['ubuntu:noble', undefined],
    ['example.com/debian:bookworm', undefined],
  ];
  for (const [name, want] of table) assert.deepEqual(parseDebianName(name), want, name);
  assert.throws(() => parseDebianName('debian:12.5'), /"12.5" is not a Debian suite/);
  assert.throws(() => parseDebianName(`debian@sha256:${'a'.repeat(64)}`), /a digest cannot be built/);
});

test('Release Date: seconds since the epoch, undefined without one', () => {
  assert.equal(releaseDate('Origin: Debian\nDate: Sat, 10 May 2025 09:04:39 UTC\nValid-Until: x\n'), Date.UTC(2025, 4, 10, 9, 4, 39) / 1000);
  assert.equal(releaseDate('Origin: Debian\n'), undefined);
});
