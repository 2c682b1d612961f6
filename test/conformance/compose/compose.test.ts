/**
 * The compose conformance cases: each directory here is a project (its
 * compose.yaml and files) with a check.ts. Every case runs against one real
 * berthd of this file (test/helpers/daemon.ts, its own bridge and subnets),
 * with `berth compose -p <case>-<pid>`; after its checks, `down -v` must
 * leave no container, network or volume of the project, and once the
 * daemon is stopped nothing of the test is left on the host (mounts,
 * links, namespaces). With BERTH_COMPOSE_REFERENCE=1 the same cases run
 * against the reference Docker engine (image busybox-ref), proving berth
 * compose is a plain Engine API client and the expectations are Docker's.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BERTH, apiRequest, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { REFERENCE_DOCKER_HOST, referenceDockerRunning } from '../../helpers/reference-docker.ts';
import { assertClean, freePort } from '../../helpers/net-check.ts';
import type { Check, ComposeCase } from './harness.ts';

const HERE = import.meta.dirname;
const CASES = readdirSync(HERE)
  .filter((d) => statSync(path.join(HERE, d)).isDirectory() && readdirSync(path.join(HERE, d)).includes('check.ts'))
  // BERTH_COMPOSE_CASES=a,b runs only those cases (while working on them).
  .filter((d) => !process.env['BERTH_COMPOSE_CASES'] || process.env['BERTH_COMPOSE_CASES'].split(',').includes(d))
  .sort();

test('compose conformance cases', { timeout: 600_000 }, async (t) => {
  if (!requireRoot(t)) return;
  // Run by test/conformance/run.ts once per CLI: compose cases are berth compose's (the docker CLI here has no compose plugin).
  if (process.env['BERTH_TEST_CLI'] && path.basename(process.env['BERTH_TEST_CLI']) !== 'berth') {
    t.skip('compose cases run with bin/berth only');
    return;
  }
  const reference = process.env['BERTH_COMPOSE_REFERENCE'] === '1';
  if (reference && !referenceDockerRunning()) {
    t.skip('the reference Docker engine is not running (../shared/tools/reference-docker start)');
    return;
  }
  const daemon: Daemon = reference ? referenceDaemon() : await startDaemon(t);
  const image = reference ? 'busybox-ref' : 'busybox';
  for (const name of CASES) {
    await t.test(name, async () => {
      const dir = path.join(HERE, name);
      const project = `${name}-${process.pid}`;
      const port = await freePort();
      const composeFile = (file: string, args: string[], env: Record<string, string> = {}) =>
        runCli(BERTH, daemon, ['compose', '-p', project, '--project-directory', dir, '-f', path.join(dir, file), ...args], {
          env: { PORT: String(port), PROJECT: project, IMAGE: image, ...env },
          timeoutMs: 120_000,
        });
      const compose = (args: string[], env: Record<string, string> = {}) => composeFile('compose.yaml', args, env);
      const label = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
      const c: ComposeCase = {
        dir,
        project,
        port,
        daemon,
        reference,
        compose,
        composeFile,
        containers: async () => (await daemon.api('GET', `/containers/json?all=1&filters=${label}`)).body,
        networks: async () => (await daemon.api('GET', `/networks?filters=${label}`)).body,
        volumes: async () => (await daemon.api('GET', `/volumes?filters=${label}`)).body.Volumes ?? [],
      };
      const { check } = (await import(path.join(dir, 'check.ts'))) as { check: Check };
      const volumesBefore = new Set(((await daemon.api('GET', '/volumes')).body.Volumes ?? []).map((v: { Name: string }) => v.Name));
      try {
        await check(c);
      } finally {
        const down = await compose(['down', '-v', '-t', '1']);
        assert.equal(down.code, 0, down.stderr);
        assert.deepEqual(await c.containers(), [], `containers of ${project} left by down -v`);
        assert.deepEqual(await c.networks(), [], `networks of ${project} left by down -v`);
        assert.deepEqual(await c.volumes(), [], `volumes of ${project} left by down -v`);
        const all = ((await daemon.api('GET', '/volumes')).body.Volumes ?? []).map((v: { Name: string }) => v.Name).filter((n: string) => !volumesBefore.has(n));
        assert.deepEqual(all, [], 'down -v removes anonymous volumes too');
        const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(dir) || l.includes(project));
        assert.deepEqual(mounts, [], `mounts of ${project} left`);
      }
    });
  }
  if (reference) return;
  await assertClean(t, daemon);
  const left = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(daemon.dataRoot) || l.includes(daemon.execRoot));
  assert.deepEqual(left, [], 'mounts of the daemon left');
});

/** The reference engine as a Daemon for the cases: its socket and API; it is never stopped here. */
function referenceDaemon(): Daemon {
  const socket = REFERENCE_DOCKER_HOST.slice('unix://'.length);
  const unsupported = async () => {
    throw new Error('the reference engine is shared: not stopped or restarted by tests');
  };
  return {
    dataRoot: '/nonexistent',
    execRoot: '/nonexistent',
    socket,
    host: REFERENCE_DOCKER_HOST,
    logFile: '/dev/null',
    child: undefined as never,
    stop: unsupported,
    restart: unsupported,
    slot: undefined as never,
    api: (method, urlPath, body) => apiRequest(socket, method, urlPath, body),
  };
}
