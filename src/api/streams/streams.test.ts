import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { demuxBuffer, encodeLogLine, OutputWriter, STDERR, STDOUT } from './multiplex.ts';
import { formatJsonLine, formatJsonMessage, JsonMessageWriter } from './json-lines.ts';

const entry = { stream: 'stderr' as const, time: '2024-05-01T10:00:00.123456789Z', line: Buffer.from('oops\n') };

test('log lines without a TTY are framed by stream', () => {
  const out = encodeLogLine(entry, { tty: false, timestamps: false });
  assert.equal(out[0], STDERR);
  assert.equal(demuxBuffer(out).stderr.toString(), 'oops\n');
});

test('timestamps prefix the line with the time and a space', () => {
  const out = encodeLogLine({ ...entry, stream: 'stdout' }, { tty: false, timestamps: true });
  assert.equal(out[0], STDOUT);
  assert.equal(demuxBuffer(out).stdout.toString(), '2024-05-01T10:00:00.123456789Z oops\n');
});

test('with a TTY the log bytes are raw', () => {
  assert.equal(encodeLogLine(entry, { tty: true, timestamps: false }).toString(), 'oops\n');
});

test('OutputWriter frames unless a TTY, and skips empty writes', async () => {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const w = new OutputWriter(sink, false);
  await w.write(STDOUT, Buffer.from('a'));
  await w.write(STDERR, Buffer.alloc(0));
  assert.deepEqual([...Buffer.concat(chunks)], [1, 0, 0, 0, 0, 0, 0, 1, 97]);
});

test('progress messages end in CRLF, stats lines in LF', async () => {
  assert.equal(formatJsonMessage({ status: 'Pulling fs layer', id: 'abc' }), '{"status":"Pulling fs layer","id":"abc"}\r\n');
  assert.equal(formatJsonLine({ a: 1 }), '{"a":1}\n');
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (c: Buffer) => (text += c.toString()));
  const w = new JsonMessageWriter(sink);
  await w.error('boom');
  assert.equal(text, '{"errorDetail":{"message":"boom"},"error":"boom"}\r\n');
});
