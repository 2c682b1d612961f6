/** POST /exec/{id}/start: TTY, framing, detach keys and detached starts, as dockerd answers them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startDaemon, requireRoot, type Daemon } from '../../helpers/daemon.ts';
import { demuxBuffer } from '../../../src/util/stdcopy.ts';

/** A hijacked exec start: the bytes after the reply's headers, and a way to type and to wait. */
interface Session {
  output(): Buffer;
  waitFor(text: string): Promise<void>;
  write(data: string): void;
  closed: Promise<void>;
}

function startSession(d: Daemon, execId: string, body: unknown): Session {
  const socket = net.connect(d.socket);
  const payload = JSON.stringify(body);
  socket.write(`POST /exec/${execId}/start HTTP/1.1\r\nHost: berth\r\nContent-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`);
  let received = Buffer.alloc(0);
  const waiters: Array<() => void> = [];
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const output = () => {
    const end = received.indexOf('\r\n\r\n');
    return end < 0 ? Buffer.alloc(0) : received.subarray(end + 4);
  };
  return {
    output,
    write: (data) => socket.write(data),
    closed,
    async waitFor(text) {
      const deadline = Date.now() + 10_000;
      while (!output().toString('latin1').includes(text)) {
        assert.ok(Date.now() < deadline, `no "${text}" in ${JSON.stringify(output().toString('latin1'))}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), closed, new Promise((r) => setTimeout(r, 1000))]);
      }
    },
  };
}

/** Resolves true when the session closes within `ms`. */
function closesWithin(session: Session, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([session.closed.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
}

async function runningContainer(d: Daemon, name: string): Promise<string> {
  const created = await d.api('POST', `/containers/create?name=${name}`, { Image: 'busybox', Cmd: ['sleep', '300'] });
  assert.equal(created.status, 201, created.text);
  assert.equal((await d.api('POST', `/containers/${created.body.Id}/start`)).status, 204);
  return created.body.Id as string;
}

async function execCreate(d: Daemon, id: string, config: Record<string, unknown>): Promise<string> {
  const r = await d.api('POST', `/containers/${id}/exec`, { AttachStdout: true, AttachStderr: true, ...config });
  assert.equal(r.status, 201, r.text);
  return r.body.Id as string;
}

test('an exec keeps the TTY it was created with; the start request only picks the framing', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const id = await runningContainer(d, 'exec-tty');

  const ttyExec = startSession(d, await execCreate(d, id, { Cmd: ['tty'], Tty: true }), { Tty: false });
  await ttyExec.closed;
  const framed = demuxBuffer(ttyExec.output());
  assert.equal(framed.stdout.toString(), '/dev/pts/0\r\n');
  assert.equal(framed.leftover, 0);

  const plainExec = startSession(d, await execCreate(d, id, { Cmd: ['tty'], Tty: false }), { Tty: true });
  await plainExec.closed;
  assert.equal(plainExec.output().toString(), 'not a tty\n');
});

test('detach keys end an exec session at once, as dockerd does, and leave the process running', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const id = await runningContainer(d, 'exec-detach');
  const cases: Array<{ config: Record<string, unknown>; keys: string; sleep: string }> = [
    { config: {}, keys: '\x10\x11', sleep: '301' },
    { config: { DetachKeys: 'ctrl-x,y' }, keys: '\x18y', sleep: '302' },
  ];
  for (const { config, keys, sleep } of cases) {
    const execId = await execCreate(d, id, { Cmd: ['sh', '-c', `echo ready; exec sleep ${sleep}`], Tty: true, AttachStdin: true, ...config });
    const session = startSession(d, execId, { Tty: true });
    await session.waitFor('ready');
    session.write(keys);
    assert.ok(await closesWithin(session, 5000), `the session did not close after the keys (${JSON.stringify(config)})`);
    // dockerd reports the detach as a failed attach and counts the exec as ended with 126.
    assert.match(session.output().toString(), /exec attach failed: error on attach stdin: read escape sequence\r\n$/);
    const inspect = await d.api('GET', `/exec/${execId}/json`);
    assert.equal(inspect.body.Running, false);
    assert.equal(inspect.body.ExitCode, 126);
    const container = await d.api('GET', `/containers/${id}/json`);
    assert.ok(!(container.body.ExecIDs ?? []).includes(execId));
    const top = await d.api('GET', `/containers/${id}/top`);
    assert.ok(top.body.Processes.some((p: string[]) => p.at(-1) === `sleep ${sleep}`), `sleep ${sleep} is gone: ${JSON.stringify(top.body.Processes)}`);
  }

  // Other keys than the exec's own pass through to the process.
  const execId = await execCreate(d, id, { Cmd: ['sh'], Tty: true, AttachStdin: true, DetachKeys: 'ctrl-x' });
  const session = startSession(d, execId, { Tty: true });
  session.write('\x10\x11echo typed\n');
  await session.waitFor('typed\r\n');
  session.write('exit\n');
  assert.ok(await closesWithin(session, 5000));
  assert.equal((await d.api('GET', `/exec/${execId}/json`)).body.ExitCode, 0);
});

test('bad DetachKeys are refused at exec create with dockerd\'s error', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const id = await runningContainer(d, 'exec-bad-keys');
  for (const keys of ['ctrl-1', 'CTRL-P', 'ctrl-p, ctrl-q']) {
    const r = await d.api('POST', `/containers/${id}/exec`, { Cmd: ['true'], DetachKeys: keys });
    assert.equal(r.status, 500, keys);
    assert.deepEqual(r.body, { message: `Invalid escape keys (${keys}) provided` });
  }
});

test('a detached exec start answers 200 with an empty body', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const id = await runningContainer(d, 'exec-detached');
  const execId = await execCreate(d, id, { Cmd: ['true'], AttachStdout: false, AttachStderr: false });
  const r = await d.api('POST', `/exec/${execId}/start`, { Detach: true });
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
});
