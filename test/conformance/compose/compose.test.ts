/**
 * The compose conformance cases: each directory here is a project (its
 * compose.yaml and files) with a check.ts. Every case runs against one real
 * berthd of this file (test/helpers/daemon.ts, its own bridge and subnets),
 * with `berth compose -p <case>-<pid>`; after its checks, `down -v` must
 * leave no container, network or volume of the project, and once the
 * daemon is stopped nothing of the test is left on the host (mounts,
 * links, namespaces).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BERTH, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';
import { assertClean, freePort } from '../../helpers/net-check.ts';
import type { Check, ComposeCase } from './harness.ts';

const HERE = import.meta.dirname;
const CASES = readdirSync(HERE).filter((d) => statSync(path.join(HERE, d)).isDirectory() && readdirSync(path.join(HERE, d)).includes('check.ts')).sort();

test('compose conformance cases', { timeout: 600_000 }, async (t) => {
  if (!requireRoot(t)) return;
  // Run by test/conformance/run.ts once per CLI: compose cases are berth compose's (the docker CLI here has no compose plugin).
  if (process.env['BERTH_TEST_CLI'] && path.basename(process.env['BERTH_TEST_CLI']) !== 'berth') {
    t.skip('compose cases run with bin/berth only');
    return;
  }
  const daemon = await startDaemon(t);
  for (const name of CASES) {
    await t.test(name, async () => {
      const dir = path.join(HERE, name);
      const project = `${name}-${process.pid}`;
      const port = await freePort();
      const compose = (args: string[], env: Record<string, string> = {}) =>
        runCli(BERTH, daemon, ['compose', '-p', project, '--project-directory', dir, '-f', path.join(dir, 'compose.yaml'), ...args], {
          env: { PORT: String(port), PROJECT: project, ...env },
          timeoutMs: 120_000,
        });
      const label = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
      const c: ComposeCase = {
        dir,
        project,
        port,
        daemon,
        compose,
        containers: async () => (await daemon.api('GET', `/containers/json?all=1&filters=${label}`)).body,
        networks: async () => (await daemon.api('GET', `/networks?filters=${label}`)).body,
        volumes: async () => (await daemon.api('GET', `/volumes?filters=${label}`)).body.Volumes ?? [],
      };
      const { check } = (await import(path.join(dir, 'check.ts'))) as { check: Check };
      try {
        await check(c);
      } finally {
        const down = await compose(['down', '-v', '-t', '1']);
        assert.equal(down.code, 0, down.stderr);
        assert.deepEqual(await c.containers(), [], `containers of ${project} left by down -v`);
        assert.deepEqual(await c.networks(), [], `networks of ${project} left by down -v`);
        assert.deepEqual(await c.volumes(), [], `volumes of ${project} left by down -v`);
        const all = (await daemon.api('GET', '/volumes')).body.Volumes ?? [];
        assert.deepEqual(all, [], 'down -v removes anonymous volumes too');
        const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(dir) || l.includes(project));
        assert.deepEqual(mounts, [], `mounts of ${project} left`);
      }
    });
  }
  await assertClean(t, daemon);
  const left = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(daemon.dataRoot) || l.includes(daemon.execRoot));
  assert.deepEqual(left, [], 'mounts of the daemon left');
});
