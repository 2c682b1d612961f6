import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonStreamError, ProgressRenderer, formatProgress } from './progress.ts';
import type { JsonMessage } from '../../client/json-stream.ts';

const PUSH: JsonMessage[] = [
  { status: 'The push refers to repository [127.0.0.1:5391/a/bb]' },
  { status: 'Preparing', progressDetail: {}, id: 'aaa' },
  { status: 'Preparing', progressDetail: {}, id: 'bbb' },
  { status: 'Pushing', progressDetail: { current: 19968, total: 1984240 }, progress: '[>   ]  19.97kB/1.984MB', id: 'aaa' },
  { status: 'Layer already exists', progressDetail: {}, id: 'bbb' },
  { status: 'Pushed', progressDetail: {}, id: 'aaa' },
  { status: 'v1: digest: sha256:696e size: 527' },
  { progressDetail: {}, aux: { Tag: 'v1', Digest: 'sha256:696e', Size: 527 } },
];

function renderAll(r: ProgressRenderer, msgs: JsonMessage[]): string {
  return msgs.map((m) => r.render(m)).join('');
}

test('off a terminal, one line per message and no bars', () => {
  const aux: unknown[] = [];
  const out = renderAll(new ProgressRenderer({ terminal: false, onAux: (a) => aux.push(a) }), PUSH);
  assert.equal(
    out,
    'The push refers to repository [127.0.0.1:5391/a/bb]\naaa: Preparing\nbbb: Preparing\nbbb: Layer already exists\naaa: Pushed\nv1: digest: sha256:696e size: 527\n',
  );
  assert.deepEqual(aux, [{ Tag: 'v1', Digest: 'sha256:696e', Size: 527 }]);
});

test('on a terminal, each layer line is rewritten in place', () => {
  const out = renderAll(new ProgressRenderer({ terminal: true, columns: 120 }), PUSH.slice(0, 6));
  const E = '\x1b[';
  assert.equal(
    out,
    'The push refers to repository [127.0.0.1:5391/a/bb]\n' +
      `\n${E}1A${E}2K\raaa: Preparing \r${E}1B` +
      `\n${E}1A${E}2K\rbbb: Preparing \r${E}1B` +
      `${E}2A${E}2K\raaa: Pushing [>${' '.repeat(50)}]  19.97kB/1.984MB\r${E}2B` +
      `${E}1A${E}2K\rbbb: Layer already exists \r${E}1B` +
      `${E}2A${E}2K\raaa: Pushed \r${E}2B`,
  );
});

test('a message without progress starts a new block of lines', () => {
  const r = new ProgressRenderer({ terminal: true, columns: 80 });
  r.render({ status: 'Pulling fs layer', progressDetail: {}, id: 'x' });
  r.render({ status: 'Digest: sha256:1' });
  assert.equal(r.render({ status: 'Pulling fs layer', progressDetail: {}, id: 'x' }), '\n\x1b[1A\x1b[2K\rx: Pulling fs layer \r\x1b[1B');
});

test('bars are drawn as docker draws them', () => {
  assert.equal(formatProgress(0, 0, 200), '');
  assert.equal(formatProgress(1500, 0, 200), '   1.5kB');
  assert.equal(formatProgress(500, 1000, 80), '    500B/1kB');
  assert.equal(formatProgress(2129920, 1984240, 200), `[${'='.repeat(50)}>]   2.13MB`);
});

test('an error message ends the stream with its text', () => {
  const r = new ProgressRenderer({ terminal: false });
  assert.throws(() => r.render({ errorDetail: { message: 'denied: requested access to the resource is denied' }, error: 'x' }), (e: unknown) => e instanceof JsonStreamError && e.message.startsWith('denied:'));
});
