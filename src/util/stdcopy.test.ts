import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, decodeFrames, demuxBuffer, encodeFrame, STDERR, STDOUT } from './stdcopy.ts';

test('a frame has an 8-byte header with the stream and a big-endian size', () => {
  const f = encodeFrame(STDERR, 'hello');
  assert.deepEqual([...f.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 5]);
  assert.equal(f.subarray(8).toString(), 'hello');
});

test('the decoder reassembles frames split at any byte', () => {
  const data = Buffer.concat([encodeFrame(STDOUT, 'out\n'), encodeFrame(STDERR, 'err\n'), encodeFrame(STDOUT, '')]);
  for (let cut = 0; cut <= data.length; cut++) {
    const d = new FrameDecoder();
    const frames = [...d.push(data.subarray(0, cut)), ...d.push(data.subarray(cut))];
    assert.deepEqual(
      frames.map((f) => [f.stream, f.payload.toString()]),
      [[1, 'out\n'], [2, 'err\n'], [1, '']],
    );
    assert.equal(d.leftover, 0);
  }
});

test('an incomplete trailing frame is reported as leftover', () => {
  const d = new FrameDecoder();
  assert.deepEqual(d.push(encodeFrame(STDOUT, 'abc').subarray(0, 9)), []);
  assert.equal(d.leftover, 9);
});

test('decodeFrames and demuxBuffer split stdout from stderr', async () => {
  const data = Buffer.concat([encodeFrame(STDOUT, 'a'), encodeFrame(STDERR, 'b'), encodeFrame(STDOUT, 'c')]);
  const frames = [];
  async function* chunks() {
    yield data.subarray(0, 5);
    yield data.subarray(5);
  }
  for await (const f of decodeFrames(chunks())) frames.push(f.payload.toString());
  assert.deepEqual(frames, ['a', 'b', 'c']);
  const { stdout, stderr } = demuxBuffer(data);
  assert.equal(stdout.toString(), 'ac');
  assert.equal(stderr.toString(), 'b');
});
