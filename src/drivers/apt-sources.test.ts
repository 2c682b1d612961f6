import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeb822Sources, parseOneLineSources, pickDebianMirrors } from './apt-sources.ts';

test('one-line sources: options and comments skipped', () => {
  assert.deepEqual(parseOneLineSources('# x\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main\n\ndeb-src http://m.example/debian bookworm main # c\n'), [
    { types: ['deb'], uris: ['http://m.example/debian'], suites: ['bookworm'] },
    { types: ['deb-src'], uris: ['http://m.example/debian'], suites: ['bookworm'] },
  ]);
});

test('deb822 sources: stanzas, comments, Enabled: no', () => {
  const text = 'Types: deb\n# http://snap.example/archive/debian/2025\nURIs: http://m.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://m.example/debian-security/\nSuites: bookworm-security\n\nEnabled: no\nTypes: deb\nURIs: http://other.example/debian\nSuites: sid\n';
  const sources = parseDeb822Sources(text);
  assert.equal(sources.length, 2);
  assert.deepEqual(pickDebianMirrors(sources), { archive: 'http://m.example/debian', security: 'http://m.example/debian-security' });
});

test('mirror pick: non-Debian and non-http sources are not archives', () => {
  const sources = parseOneLineSources('deb https://packages.example/apt cloud-sdk main\ndeb file:///srv/debian bookworm main\ndeb https://m.example/debian/ trixie main\n');
  assert.deepEqual(pickDebianMirrors(sources), { archive: 'https://m.example/debian' });
  assert.deepEqual(pickDebianMirrors([]), {});
});
