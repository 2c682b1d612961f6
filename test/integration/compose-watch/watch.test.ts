/**
 * `berth compose watch` against a real berthd: a temp copy of a project
 * whose service has one rule of each kind (sync with ignores and
 * initial_sync, sync+restart, sync+exec, rebuild). The watch runs as a
 * child process; files are added, changed and deleted on the host and the
 * container is read back through exec. Ctrl+C ends it with status 130 and
 * "canceled" (Docker Compose's), and `down -v` leaves nothing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BERTH, docker, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';
import { assertClean } from '../../helpers/net-check.ts';
import { REFERENCE_DOCKER_HOST, referenceDockerRunning } from '../../helpers/reference-docker.ts';

/** BERTH_COMPOSE_REFERENCE=1: the same against the reference Docker engine (image busybox-ref), proving the expectations are Docker's. */
const REFERENCE = process.env['BERTH_COMPOSE_REFERENCE'] === '1';
const IMAGE = REFERENCE ? 'busybox-ref' : 'busybox';

async function engine(t: import('node:test').TestContext): Promise<{ host: string; clean: () => Promise<void> } | undefined> {
  if (!requireRoot(t)) return undefined;
  if (REFERENCE) {
    if (!referenceDockerRunning()) {
      t.skip('the reference Docker engine is not running');
      return undefined;
    }
    return { host: REFERENCE_DOCKER_HOST, clean: async () => undefined };
  }
  const d = await startDaemon(t);
  return { host: d.host, clean: () => assertClean(t, d) };
}

const COMPOSE = `services:
  app:
    build: .
    command: ["sh", "-c", "echo started >> /tmp/starts; exec sleep 3600"]
    init: true
    stop_grace_period: 1s
    develop:
      watch:
        - action: sync
          path: ./src
          target: /app/src
          ignore: ["*.tmp"]
          initial_sync: true
        - action: sync+restart
          path: ./conf
          target: /etc/app
        - action: sync+exec
          path: ./hooks
          target: /app/hooks
          exec:
            command: ["sh", "-c", "cat /app/hooks/h.txt > /tmp/hook"]
        - action: rebuild
          path: ./version
  plain:
    image: busybox
    command: ["sleep", "3600"]
    init: true
`;

test('compose watch syncs, restarts, runs hooks and rebuilds on file changes, and ends on Ctrl+C', { timeout: 90_000 }, async (t) => {
  const found = await engine(t);
  if (!found) return;
  const d = found;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cwatch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const project = `cwatch${process.pid}`;
  writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE.replace('image: busybox', `image: ${IMAGE}`));
  writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${IMAGE}\nCOPY version /version\n`);
  writeFileSync(path.join(dir, '.dockerignore'), '**/*.log\n');
  writeFileSync(path.join(dir, 'version'), 'v1\n');
  for (const sub of ['src', 'conf', 'hooks']) mkdirSync(path.join(dir, sub));
  // initial_sync copies what changed after the image was built: this file's time is in the future.
  writeFileSync(path.join(dir, 'src/early.txt'), 'early\n');
  const later = new Date(Date.now() + 3600_000);
  utimesSync(path.join(dir, 'src/early.txt'), later, later);

  const compose = (args: string[]) => runCli(BERTH, d, ['compose', '-p', project, '--project-directory', dir, ...args]);
  const container = `${project}-app-1`;
  const read = async (file: string) => {
    const r = await docker(d, ['exec', container, 'cat', file]);
    return r.code === 0 ? r.stdout : undefined;
  };
  const eventually = async (what: string, probe: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const child = spawn(BERTH, ['compose', '-p', project, '--project-directory', dir, 'watch', '--quiet'], {
    env: { ...process.env, DOCKER_HOST: d.host, BERTH_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    await scenario();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    const down = await compose(['down', '-v', '-t', '1', '--rmi', 'local']);
    assert.equal(down.code, 0, down.stderr);
    await d.clean();
  }

  async function scenario(): Promise<void> {
    await eventually('"Watch enabled"', async () => stdout.includes('Watch enabled\n'));
    assert.equal(await read('/app/src/early.txt'), 'early\n', 'initial_sync');
    const firstId = (await docker(d, ['inspect', '-f', '{{.Id}}', container])).stdout.trim();

    // sync: new files and a new directory land in the container; ignored ones do not.
    mkdirSync(path.join(dir, 'src/sub'));
    writeFileSync(path.join(dir, 'src/sub/b.txt'), 'bee\n');
    writeFileSync(path.join(dir, 'src/a.txt'), 'one\n');
    writeFileSync(path.join(dir, 'src/skip.tmp'), 'ignored by the rule\n');
    writeFileSync(path.join(dir, 'src/skip.log'), 'ignored by .dockerignore\n');
    await eventually('the sync', async () => (await read('/app/src/sub/b.txt')) === 'bee\n' && (await read('/app/src/a.txt')) === 'one\n');
    assert.match(stdout, /^Syncing service "app" after \d+ changes were detected$/m);
    assert.equal(await read('/app/src/skip.tmp'), undefined);
    assert.equal(await read('/app/src/skip.log'), undefined);
    // a change, then a deletion
    writeFileSync(path.join(dir, 'src/a.txt'), 'two\n');
    await eventually('the change', async () => (await read('/app/src/a.txt')) === 'two\n');
    unlinkSync(path.join(dir, 'src/a.txt'));
    await eventually('the deletion', async () => (await read('/app/src/a.txt')) === undefined);
    assert.equal(await read('/app/src/sub/b.txt'), 'bee\n');

    // sync+restart
    writeFileSync(path.join(dir, 'conf/app.conf'), 'x=1\n');
    await eventually('the restart', async () => (await read('/tmp/starts')) === 'started\nstarted\n');
    assert.equal(await read('/etc/app/app.conf'), 'x=1\n');
    await eventually('the restart line', async () => stdout.includes('service(s) ["app"] restarted\n'));

    // sync+exec
    writeFileSync(path.join(dir, 'hooks/h.txt'), 'hooked\n');
    await eventually('the exec hook', async () => (await read('/tmp/hook')) === 'hooked\n');

    // rebuild: a new image, the container recreated from it.
    writeFileSync(path.join(dir, 'version'), 'v2\n');
    await eventually('the rebuild', async () => (await read('/version')) === 'v2\n');
    assert.match(stdout, /^Rebuilding service\(s\) \["app"\] after changes were detected\.\.\.$/m);
    assert.match(stdout, /^service\(s\) \["app"\] successfully built$/m);
    const secondId = (await docker(d, ['inspect', '-f', '{{.Id}}', container])).stdout.trim();
    assert.notEqual(secondId, firstId);
    // The other service has no develop section: left as it was.
    assert.equal((await docker(d, ['inspect', '-f', '{{.State.Running}}', `${project}-plain-1`])).stdout, 'true\n');

    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /canceled\n$/);
    assert.doesNotMatch(stderr, /Step \d/, '--quiet: no build output');
    assert.equal(readFileSync(path.join(dir, 'version'), 'utf8'), 'v2\n');
  }
});

test('compose watch refuses a project where no service has develop.watch', { timeout: 60_000 }, async (t) => {
  const found = await engine(t);
  if (!found) return;
  const d = found;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cwatch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  plain:\n    image: ${IMAGE}\n    command: ["sleep", "3600"]\n    init: true\n`);
  const project = `cwatchnone${process.pid}`;
  const compose = (args: string[]) => runCli(BERTH, d, ['compose', '-p', project, '--project-directory', dir, ...args]);
  const r = await compose(['watch', '--no-up']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "none of the selected services is configured for watch, consider setting a 'develop' section\n");
  const down = await compose(['down', '-v', '-t', '1']);
  assert.equal(down.code, 0, down.stderr);
  await d.clean();
});

test('up --watch syncs beside the attached logs, its lines under their prefix column, and Ctrl+C stops it all', { timeout: 60_000 }, async (t) => {
  const found = await engine(t);
  if (!found) return;
  const d = found;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cwatch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'src'));
  // No build section: a sync rule needs none.
  writeFileSync(
    path.join(dir, 'compose.yaml'),
    `services:\n  app:\n    image: ${IMAGE}\n    command: ["sh", "-c", "echo hello; exec sleep 3600"]\n    init: true\n    develop:\n      watch:\n        - {action: sync, path: ./src, target: /src}\n`,
  );
  const project = `cwatchup${process.pid}`;
  const child = spawn(BERTH, ['compose', '-p', project, '--project-directory', dir, 'up', '--watch'], {
    env: { ...process.env, DOCKER_HOST: d.host, BERTH_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const eventually = async (what: string, probe: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    // `app-1  | ` is the log prefix: the watch lines start under its `|`.
    await eventually('"Watch enabled"', async () => stdout.includes('       ⦿ Watch enabled\n'));
    await eventually('the log line', async () => stdout.includes('app-1  | hello\n'));
    writeFileSync(path.join(dir, 'src/a.txt'), 'one\n');
    await eventually('the sync', async () => (await docker(d, ['exec', `${project}-app-1`, 'cat', '/src/a.txt'])).stdout === 'one\n');
    assert.match(stdout, /^ {7}⦿ Syncing service "app" after 1 changes were detected$/m);
    child.kill('SIGINT');
    await exited;
    assert.equal((await docker(d, ['inspect', '-f', '{{.State.Running}}', `${project}-app-1`])).stdout, 'false\n');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    const down = await runCli(BERTH, d, ['compose', '-p', project, '--project-directory', dir, 'down', '-v', '-t', '1']);
    assert.equal(down.code, 0, down.stderr);
    await d.clean();
  }
});

test('watch --no-up only watches, and SIGTERM ends it as Ctrl+C does', { timeout: 60_000 }, async (t) => {
  const found = await engine(t);
  if (!found) return;
  const d = found;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cwatch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  app:\n    image: ${IMAGE}\n    develop:\n      watch:\n        - {action: sync, path: ./src, target: /src}\n`);
  const project = `cwatchterm${process.pid}`;
  const child = spawn(BERTH, ['compose', '-p', project, '--project-directory', dir, 'watch', '--no-up'], {
    env: { ...process.env, DOCKER_HOST: d.host, BERTH_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!stdout.includes('Watch enabled\n') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  assert.equal(stdout, 'Watch enabled\n', stderr);
  child.kill('SIGTERM');
  assert.equal(await exited, 130);
  assert.equal(stderr, 'canceled\n');
  const ps = await runCli(BERTH, d, ['compose', '-p', project, '--project-directory', dir, 'ps', '-a', '-q']);
  assert.equal(ps.stdout, '', 'nothing was created');
  await d.clean();
});
