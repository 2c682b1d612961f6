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
 * Cases that build on debian:bookworm-slim ask for it (c.debianImage()): it
 * is bootstrapped from the host's Debian mirror once per run (the .debs
 * cached in DEBIAN_CACHE, shared with the other Debian tests) and, for the
 * reference engine, saved from a scratch berthd and loaded there.
 */
import assert from 'node:assert/strict';
import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { BERTH, apiRequest, docker, requireRoot, runCli, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { DEBIAN_CACHE, mirrorUnreachable } from '../../helpers/debian-mirror.ts';
import { REFERENCE_DOCKER_HOST, referenceDockerRunning } from '../../helpers/reference-docker.ts';
import { assertClean, freePort } from '../../helpers/net-check.ts';
import type { Check, ComposeCase } from './harness.ts';

const HERE = import.meta.dirname;
// BERTH_COMPOSE_CASES=web,build runs only those cases.
const ONLY = process.env['BERTH_COMPOSE_CASES']?.split(',').filter(Boolean);
const CASES = readdirSync(HERE)
  .filter((d) => statSync(path.join(HERE, d)).isDirectory() && readdirSync(path.join(HERE, d)).includes('check.ts'))
  .filter((d) => !ONLY || ONLY.includes(d))
  .sort();

const DEBIAN = 'debian:bookworm-slim';

test('compose conformance cases', { timeout: 900_000 }, async (t) => {
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
  process.env['BERTH_BOOTSTRAP_CACHE'] ??= DEBIAN_CACHE; // read by the daemons started next, used only by a Debian bootstrap
  const daemon: Daemon = reference ? referenceDaemon() : await startDaemon(t);
  const image = reference ? 'busybox-ref' : 'busybox';
  let debian: Promise<string | undefined> | undefined;
  const debianImage = () => (debian ??= provideDebian(t, daemon, reference));
  for (const name of CASES) {
    await t.test(name, async (st) => {
      const dir = path.join(HERE, name);
      const project = `${name}-${process.pid}`;
      const port = await freePort();
      const composeFile = (file: string, args: string[], env: Record<string, string> = {}) =>
        runCli(BERTH, daemon, ['compose', '-p', project, '--project-directory', dir, '-f', path.join(dir, file), ...args], {
          env: { PORT: String(port), PROJECT: project, IMAGE: image, ...env },
          timeoutMs: 600_000, // a cold build of a case's Debian image fetches its packages
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
        debianImage,
        skip: (reason) => st.skip(reason),
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
        // Volumes of other projects (another run on the shared reference engine) are not this case's.
        const others = (v: { Labels?: Record<string, string> | null }) => (v.Labels?.['com.docker.compose.project'] ?? project) !== project;
        const all = ((await daemon.api('GET', '/volumes')).body.Volumes ?? [])
          .filter((v: { Name: string; Labels?: Record<string, string> | null }) => !volumesBefore.has(v.Name) && !others(v))
          .map((v: { Name: string }) => v.Name);
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

/**
 * debian:bookworm-slim on `daemon`, or why a case building on it cannot run
 * (the mirror does not answer; the reference engine has no bridge). The
 * test's berthd bootstraps it; the reference engine gets it from a scratch
 * berthd (`docker save` there, `docker load` into the reference) unless it
 * holds it already, and keeps it for later runs.
 */
async function provideDebian(t: TestContext, daemon: Daemon, reference: boolean): Promise<string | undefined> {
  // The cases' builds apt-get from the mirror too, so it must answer even when the image is there.
  const why = await mirrorUnreachable();
  if (why) return why;
  // ... over the engine's default bridge: the reference engine has one only when started with REF_BRIDGE=1.
  if (reference && (await daemon.api('GET', '/networks/bridge')).status !== 200) return 'the reference engine has no bridge network (start it with REF_BRIDGE=1)';
  if ((await daemon.api('GET', `/images/${DEBIAN}/json`)).status === 200) return undefined;
  const started = Date.now();
  const source = reference ? await startDaemon(t, { bootstrap: false }) : daemon;
  const boot = await source.api('POST', `/images/bootstrap?name=${DEBIAN}`);
  assert.equal(boot.status, 200, boot.text);
  console.log(`# ${DEBIAN} bootstrapped in ${Date.now() - started} ms (cache ${process.env['BERTH_BOOTSTRAP_CACHE']})`);
  if (!reference) return undefined;
  const tar = `${source.dataRoot}.debian.tar`;
  try {
    const saved = await docker(source, ['save', '-o', tar, DEBIAN], { timeoutMs: 120_000 });
    assert.equal(saved.code, 0, saved.stderr);
    const loaded = await docker(daemon, ['load', '-i', tar], { timeoutMs: 120_000 });
    assert.equal(loaded.code, 0, loaded.stderr);
  } finally {
    await fs.rm(tar, { force: true });
    await source.stop();
  }
  return undefined;
}

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
    networkIds: new Set(),
    api: (method, urlPath, body) => apiRequest(socket, method, urlPath, body),
  };
}
