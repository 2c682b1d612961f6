import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mmdebstrapArgs, shellQuote } from './mmdebstrap.ts';

test('shellQuote: single quotes survive', () => {
  assert.equal(shellQuote(`a'b "c"`), `'a'\\''b "c"'`);
});

test('mmdebstrap argv: minbase tar to stdout, cache synced in and out, sources last', () => {
  const args = mmdebstrapArgs({ suite: 'bookworm', slim: false, sources: ['deb http://m.example/debian bookworm main'], cacheDir: '/var/lib/berth/cache/debian' });
  assert.deepEqual(args.slice(0, 3), ['--variant=minbase', '--format=tar', '--mode=root']);
  assert.ok(args.includes('--setup-hook=sync-in /var/lib/berth/cache/debian /var/cache/apt/archives/'));
  assert.ok(args.includes('--customize-hook=sync-out /var/cache/apt/archives /var/lib/berth/cache/debian'));
  assert.deepEqual(args.filter((a) => a.startsWith('--dpkgopt=')), ['--dpkgopt=force-unsafe-io']);
  assert.deepEqual(args.slice(-3), ['bookworm', '-', 'deb http://m.example/debian bookworm main']);
  // The cache is synced out before the files that make apt delete downloads are written.
  const syncOut = args.findIndex((a) => a.startsWith('--customize-hook=sync-out'));
  const clean = args.findIndex((a) => a.includes('docker-clean'));
  assert.ok(syncOut >= 0 && clean > syncOut);
});

test('mmdebstrap argv: -slim adds Docker\'s dpkg filters', () => {
  const args = mmdebstrapArgs({ suite: 'trixie', slim: true, sources: [], cacheDir: '/c' });
  assert.ok(args.includes('--dpkgopt=path-exclude=/usr/share/doc/*'));
  assert.ok(args.includes('--dpkgopt=path-include=/usr/share/doc/*/copyright'));
});
