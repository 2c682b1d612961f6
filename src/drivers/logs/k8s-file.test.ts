import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, appendFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLogs, type LogEntry, type ReadLogsOptions } from './k8s-file.ts';
import { parseK8sRecord, parseLogTime } from './k8s-record.ts';
import { tailOffset } from './tail.ts';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-logs-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function rec(sec: number, stream: 'stdout' | 'stderr', tag: 'F' | 'P', text: string): string {
  const s = String(sec).padStart(2, '0');
  return `2024-05-01T10:00:${s}.123456789+00:00 ${stream} ${tag} ${text}\n`;
}

async function collect(file: string, opts: Partial<ReadLogsOptions> = {}): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  const base: ReadLogsOptions = { stdout: true, stderr: true, follow: false, signal: new AbortController().signal };
  for await (const e of readLogs(file, { ...base, ...opts })) out.push(e);
  return out;
}
const texts = (es: LogEntry[]) => es.map((e) => e.line.toString());

test('conmon times become UTC with nine fraction digits', () => {
  assert.deepEqual(parseLogTime('2024-05-01T12:00:00.5+02:00'), { time: '2024-05-01T10:00:00.500000000Z', timestamp: 1714557600.5 });
  assert.equal(parseLogTime('2024-05-01T10:00:00Z')?.time, '2024-05-01T10:00:00.000000000Z');
  assert.equal(parseLogTime('yesterday'), undefined);
});

test('records parse into stream, tag and content; malformed ones are rejected', () => {
  const r = parseK8sRecord(Buffer.from('2024-05-01T10:00:00.1+00:00 stderr P a b '));
  assert.equal(r?.stream, 'stderr');
  assert.equal(r?.partial, true);
  assert.equal(r?.content.toString(), 'a b ');
  assert.equal(parseK8sRecord(Buffer.from('2024-05-01T10:00:00.1+00:00 stdout F'))?.content.length, 0);
  assert.equal(parseK8sRecord(Buffer.from('garbage')), undefined);
  assert.equal(parseK8sRecord(Buffer.from('2024-05-01T10:00:00Z stdin F x')), undefined);
});

test('partial chunks join into one line with the first chunk time', async (t) => {
  const file = path.join(await tempDir(t), 'ctr.log');
  await writeFile(file, rec(1, 'stdout', 'P', 'hel') + rec(2, 'stderr', 'F', 'err') + rec(3, 'stdout', 'F', 'lo') + rec(4, 'stdout', 'P', 'no newline'));
  const got = await collect(file);
  assert.deepEqual(texts(got), ['err\n', 'hello\n', 'no newline']);
  assert.equal(got[1]?.time, '2024-05-01T10:00:01.123456789Z');
  assert.equal(got[0]?.stream, 'stderr');
});

test('stream and time filters apply; until ends the read', async (t) => {
  const file = path.join(await tempDir(t), 'ctr.log');
  await writeFile(file, [1, 2, 3, 4, 5].map((s) => rec(s, s % 2 ? 'stdout' : 'stderr', 'F', `l${s}`)).join(''));
  assert.deepEqual(texts(await collect(file, { stderr: false })), ['l1\n', 'l3\n', 'l5\n']);
  const t2 = parseLogTime('2024-05-01T10:00:02.123456789Z')!.timestamp;
  assert.deepEqual(texts(await collect(file, { since: t2 })), ['l2\n', 'l3\n', 'l4\n', 'l5\n']);
  assert.deepEqual(texts(await collect(file, { until: t2 + 1 })), ['l1\n', 'l2\n', 'l3\n']);
});

test('tail counts whole entries from the end, across chunk boundaries', async (t) => {
  const file = path.join(await tempDir(t), 'ctr.log');
  const big = 'x'.repeat(5000);
  let text = '';
  for (let i = 0; i < 100; i++) text += rec(i % 60, 'stdout', 'P', big) + rec(i % 60, 'stdout', 'F', `-${i}`);
  text += rec(59, 'stderr', 'P', 'open');
  await writeFile(file, text + '2024-05-01T10:00:59.1+00:00 stdout F half-writ');
  const last = await collect(file, { tail: 3 });
  assert.deepEqual(last.map((e) => e.line.toString().slice(-5)), ['x-98\n', 'x-99\n', 'open']);
  assert.equal(last[0]?.line.length, 5000 + 4);
  assert.equal((await collect(file, { tail: 0 })).length, 0);
  assert.equal((await collect(file, { tail: 'all' })).length, 101);
  assert.equal((await collect(file, { tail: 1000 })).length, 101);
  const fh = await open(file, 'r');
  t.after(() => fh.close());
  assert.equal(await tailOffset(fh, 0, 5), 0);
});

test('a missing log yields nothing without follow', async (t) => {
  assert.deepEqual(await collect(path.join(await tempDir(t), 'nope.log')), []);
});

test('follow waits for the file to appear and grow, then drains after stop', async (t) => {
  const file = path.join(await tempDir(t), 'ctr.log');
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const got: string[] = [];
  const reading = (async () => {
    for await (const e of readLogs(file, { stdout: true, stderr: true, follow: true, signal: new AbortController().signal, stopped })) {
      got.push(e.line.toString());
      if (got.length === 1) await appendFile(file, rec(2, 'stdout', 'P', 'b'));
      if (got.length === 1) await appendFile(file, rec(2, 'stdout', 'F', 'c'));
      if (got.length === 2) {
        await appendFile(file, rec(3, 'stderr', 'P', 'tail'));
        stop();
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 50));
  await writeFile(file, rec(1, 'stdout', 'F', 'a'));
  await reading;
  assert.deepEqual(got, ['a\n', 'bc\n', 'tail']);
});

test('follow ends when the signal aborts', async (t) => {
  const file = path.join(await tempDir(t), 'ctr.log');
  await writeFile(file, rec(1, 'stdout', 'F', 'a'));
  const ac = new AbortController();
  const got: string[] = [];
  for await (const e of readLogs(file, { stdout: true, stderr: true, follow: true, signal: ac.signal })) {
    got.push(e.line.toString());
    ac.abort();
  }
  assert.deepEqual(got, ['a\n']);
});

test('follow with a missing file ends on stop', async (t) => {
  const file = path.join(await tempDir(t), 'never.log');
  const got = await collect(file, { follow: true, stopped: Promise.resolve() });
  assert.deepEqual(got, []);
});
