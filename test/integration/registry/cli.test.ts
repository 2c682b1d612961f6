/**
 * `berth registry serve` through the compiled CLI (bin/berth, Bun): the
 * server runs in bin/berth-node beside it, which must not outlive its
 * parent, even one killed with SIGKILL; a port in use is one error line.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../helpers/net-check.ts';
import { tempDir } from '../../helpers/registry-server.ts';
import { pollUntil, waitForOutput } from '../../helpers/wait.ts';

const BIN = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../bin');
const compiled = existsSync(path.join(BIN, 'berth-node'));

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (text) out.push(...text.split(' ').map(Number));
  }
  return out;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

test('the server under the compiled CLI dies with it, even on SIGKILL', { skip: !compiled && 'bin/berth is not Bun-compiled: the server runs in its own process' }, async (t) => {
  const port = await freePort();
  const root = tempDir(t, 'berth-regcli');
  const cli = spawn(path.join(BIN, 'berth'), ['registry', 'serve', '--addr', `127.0.0.1:${port}`, '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => cli.once('exit', r));
  let server: number | undefined;
  t.after(async () => {
    if (cli.exitCode === null && cli.signalCode === null) {
      cli.kill('SIGKILL');
      await exited;
    }
    if (server !== undefined && alive(server)) process.kill(server, 'SIGKILL');
  });
  await waitForOutput(cli.stdout!, /listening on http:\/\/127\.0\.0\.1:\d+/);
  [server] = childrenOf(cli.pid!);
  assert.ok(server !== undefined, 'the CLI runs the server in a child');
  assert.equal((await fetch(`http://127.0.0.1:${port}/v2/`)).status, 200);
  cli.kill('SIGKILL');
  await exited;
  const still = await pollUntil(() => alive(server!), (a) => !a, { timeoutMs: 5000 });
  assert.equal(still, false, 'the server exits when its parent is gone');
});

test('a port in use is one error line and exit status 1', async (t) => {
  const port = await freePort();
  const root = tempDir(t, 'berth-regcli');
  const first = spawn(process.execPath, [path.join(BIN, compiled ? 'berth-node' : 'berth'), 'registry', 'serve', '--addr', `127.0.0.1:${port}`, '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => first.once('exit', r));
  t.after(async () => {
    first.kill('SIGTERM');
    await exited;
  });
  await waitForOutput(first.stdout!, /listening on/);
  const r = spawnSync(path.join(BIN, 'berth'), ['registry', 'serve', '--addr', `127.0.0.1:${port}`, '--root', root], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`);
});
