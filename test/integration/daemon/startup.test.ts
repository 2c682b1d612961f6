/** berthd as a process: its pid file, one daemon per data root, its config file, SIGHUP. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import { startDaemon, requireRoot, BERTHD } from '../../helpers/daemon.ts';
import { pollUntil } from '../../helpers/wait.ts';

/** Run berthd to its exit; its exit code and what it printed on stderr. */
async function runBerthd(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(BERTHD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  return { code, stderr };
}

test('the pid file in the exec root holds the daemon\'s PID', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  assert.equal((await fs.readFile(`${d.execRoot}/berthd.pid`, 'utf8')).trim(), String(d.child.pid));
});

test('a second daemon on the same data root exits 1 without listening', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  t.after(() => fs.rm(`${d.execRoot}-2`, { recursive: true, force: true }));
  const second = await runBerthd(['-H', `unix://${d.execRoot}/other.sock`, '--data-root', d.dataRoot, '--exec-root', `${d.execRoot}-2`]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /another berthd is already running with data root/);
  assert.ok(!existsSync(`${d.execRoot}/other.sock`), 'the refused daemon did not listen');
});

test('a config file that does not exist stops the daemon with exit 1, naming the file', async (t) => {
  if (!requireRoot(t)) return;
  const bad = await runBerthd(['--config-file', '/nonexistent/daemon.json']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unable to configure the daemon with file \/nonexistent\/daemon.json/);
});

test('SIGHUP reloads the configuration instead of ending the daemon', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  d.child.kill('SIGHUP');
  const logged = await pollUntil(() => readFileSync(d.logFile, 'utf8'), (text) => /configuration reloaded/.test(text));
  assert.match(logged, /configuration reloaded/);
  assert.equal(d.child.exitCode, null);
  assert.equal((await d.api('GET', '/_ping')).text, 'OK');
});
