// Berth's benchmark: the container hot path side by side with a bare
// `runc run` of the same rootfs and, when one is reachable, a reference
// Docker engine, printed as medians and ratios from one run.
//
//   node bench/bench.mjs [--runs 20] [--build-runs 3] [--compose-runs 5] [--berth-host unix://…] [--docker-host unix://…]
//                        [--no-dist | --dist-only] [--no-build | --build-only] [--no-compose | --compose-only]
//
// --dist-only: only the distribution part (push, pull, save, load; see distribution.mjs).
// --build-only: only the builder part (cold, cached and one-file-changed builds; see build.mjs).
// --compose-only: only the compose part (up -d and down -v of a three-service project; see compose.mjs).
// Without --berth-host it starts its own berthd on temporary roots.
// --docker-host defaults to the reference engine's socket when it answers
// (../shared/tools/reference-docker start).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, symlinkSync, writeFileSync, readFileSync, rmSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import http from 'node:http';
import { distributionAvailable, distributionSuite, makeArchive, reportDistributionRatios } from './distribution.mjs';
import { buildAvailable, buildSuite, makeBuildContext, reportBuildRatios } from './build.mjs';
import { composeAvailable, composeSuites, engineHasBridge, makeComposeProject, reportComposeRatios } from './compose.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DOCKER = '/usr/local/bin/docker';
const BERTH = path.join(ROOT, 'bin/berth');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(opt('--runs', '20'));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(cmd, argv, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

function measure(label, fn) {
  fn(); // warm-up
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(fn());
  const m = median(samples);
  console.log(`${label.padEnd(58)} ${m.toFixed(1).padStart(8)} ms`);
  return m;
}

function answers(host) {
  return spawnSync(DOCKER, ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, DOCKER_HOST: host }, stdio: 'ignore' }).status === 0;
}

// --- a bare runc bundle with the host busybox ----------------------------------
function runcBundle() {
  const dir = mkdtempSync('/tmp/berth-bench-runc-');
  const rootfs = `${dir}/rootfs`;
  mkdirSync(`${rootfs}/bin`, { recursive: true });
  for (const d of ['proc', 'sys', 'dev', 'tmp', 'etc']) mkdirSync(`${rootfs}/${d}`, { recursive: true });
  copyFileSync('/bin/busybox', `${rootfs}/bin/busybox`);
  execFileSync('chmod', ['755', `${rootfs}/bin/busybox`]);
  symlinkSync('busybox', `${rootfs}/bin/true`);
  execFileSync('runc', ['spec'], { cwd: dir });
  const spec = JSON.parse(readFileSync(`${dir}/config.json`, 'utf8'));
  spec.process.terminal = false;
  spec.process.args = ['/bin/true'];
  spec.root.readonly = false;
  writeFileSync(`${dir}/config.json`, JSON.stringify(spec));
  return dir;
}

// --- berthd ---------------------------------------------------------------------
async function startBerthd() {
  const tag = Math.random().toString(16).slice(2, 8);
  const dataRoot = `/tmp/berth-bench-${tag}`;
  const execRoot = `/run/bb-${tag}`;
  const host = `unix://${execRoot}/berth.sock`;
  mkdirSync(dataRoot, { recursive: true });
  const log = openSync(`${dataRoot}.log`, 'w');
  // User networks (the compose part's) from a pool of the bench's own, clear of other daemons' defaults.
  const args = ['-H', host, '--data-root', dataRoot, '--exec-root', execRoot, '--pidfile', `${execRoot}/berthd.pid`, '--bridge', 'bbench0', '--bip', '10.199.0.1/24', '--default-address-pool', 'base=10.199.16.0/20,size=24'];
  const child = spawn(path.join(ROOT, 'bin/berthd'), args, { stdio: ['ignore', log, log] });
  for (let i = 0; i < 200 && !answers(host); i++) await new Promise((r) => setTimeout(r, 50));
  if (!answers(host)) throw new Error(`berthd did not start; see ${dataRoot}.log`);
  execFileSync(BERTH, ['image', 'bootstrap', 'busybox'], { env: { ...process.env, BERTH_HOST: host }, stdio: 'ignore' });
  return {
    host,
    pid: child.pid,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      for (const m of readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m && (m.startsWith(dataRoot) || m.startsWith(execRoot))).reverse()) {
        spawnSync('umount', ['-l', m]);
      }
      rmSync(dataRoot, { recursive: true, force: true });
      rmSync(`${dataRoot}.log`, { force: true });
      rmSync(execRoot, { recursive: true, force: true });
    },
  };
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function engineSuite(name, host, image) {
  const env = { DOCKER_HOST: host, BERTH_HOST: host };
  const out = {};
  out.runDocker = measure(`${name}: docker run --rm ${image} true`, () => time(DOCKER, ['run', '--rm', image, 'true'], env));
  out.runNone = measure(`${name}: docker run --rm --network none ${image} true`, () => time(DOCKER, ['run', '--rm', '--network', 'none', image, 'true'], env));
  out.runPublished = measure(`${name}: docker run --rm -p 127.0.0.1::80 ${image} true`, () => time(DOCKER, ['run', '--rm', '-p', '127.0.0.1::80', image, 'true'], env));
  // Volumes: a named one kept between runs, and an anonymous one made and removed by each run (--rm).
  execFileSync(DOCKER, ['volume', 'create', 'bench-vol'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  out.runNamedVolume = measure(`${name}: docker run --rm -v bench-vol:/data ${image} true`, () => time(DOCKER, ['run', '--rm', '-v', 'bench-vol:/data', image, 'true'], env));
  out.runAnonVolume = measure(`${name}: docker run --rm -v /data ${image} true`, () => time(DOCKER, ['run', '--rm', '-v', '/data', image, 'true'], env));
  execFileSync(DOCKER, ['volume', 'rm', 'bench-vol'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  out.createStartRm = measure(`${name}: create + start + rm -f (detached)`, () => {
    const t0 = process.hrtime.bigint();
    const id = execFileSync(DOCKER, ['create', image, 'sleep', '60'], { env: { ...process.env, ...env } }).toString().trim();
    execFileSync(DOCKER, ['start', id], { env: { ...process.env, ...env }, stdio: 'ignore' });
    execFileSync(DOCKER, ['rm', '-f', id], { env: { ...process.env, ...env }, stdio: 'ignore' });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
  const id = execFileSync(DOCKER, ['run', '-d', image, 'sleep', '600'], { env: { ...process.env, ...env } }).toString().trim();
  out.exec = measure(`${name}: docker exec <ctr> true`, () => time(DOCKER, ['exec', id, 'true'], env));
  execFileSync(DOCKER, ['rm', '-f', id], { env: { ...process.env, ...env }, stdio: 'ignore' });
  return out;
}

/**
 * `count` sequential create + rm of a container never started, through the
 * Engine API on one kept-alive connection (what compose, CI scripts and SDK
 * test suites do): the engine's own cost, no CLI start-up in it.
 */
async function createRmLoop(host, image, count = 200) {
  const socketPath = host.replace(/^unix:\/\//, '');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = (method, urlPath, body) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const headers = data === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) };
      const req = http.request({ socketPath, method, path: urlPath, agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(data);
    });
  const samples = [];
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const created = await request('POST', '/v1.41/containers/create', { Image: image, Cmd: ['true'] });
      if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
      const removed = await request('DELETE', `/v1.41/containers/${JSON.parse(created.text).Id}`);
      if (removed.status !== 204) throw new Error(`rm: ${removed.status} ${removed.text}`);
    }
    samples.push(performance.now() - t0);
  }
  agent.destroy();
  return median(samples);
}

function reportCreateRm(name, ms, count = 200) {
  console.log(`${`${name}: ${count} sequential create + rm (API, median of 3)`.padEnd(58)} ${ms.toFixed(0).padStart(8)} ms`);
}

/** Push/pull through a local docker-registry and save/load, Berth then Docker (when it answers). */
async function distributionPart(berthHost, dockerHost) {
  if (!distributionAvailable()) {
    console.log('(no /usr/bin/docker-registry: the distribution part is skipped)');
    return;
  }
  const dir = mkdtempSync('/tmp/berth-bench-dist-');
  try {
    const archive = makeArchive(dir);
    const bd = await distributionSuite('berth', berthHost, archive, dir);
    if (answers(dockerHost)) reportDistributionRatios(bd, await distributionSuite('docker', dockerHost, archive, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The builder part: the docker CLI and berth against berthd, then the docker CLI against Docker (when given). */
function buildPart(berthHost, dockerHost) {
  if (!buildAvailable()) return;
  const dir = mkdtempSync('/tmp/berth-bench-build-');
  try {
    const ctx = makeBuildContext(dir);
    const buildRuns = Number(opt('--build-runs', '3'));
    const bb = buildSuite('berth', berthHost, 'busybox', ctx, buildRuns);
    if (existsSync(BERTH)) buildSuite('berth (berth CLI)', berthHost, 'busybox', ctx, buildRuns, BERTH);
    if (dockerHost) reportBuildRatios(bb, buildSuite('docker', dockerHost, 'busybox-ref', ctx, buildRuns));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The compose part: berth compose against berthd and docker-compose against Docker (when it
 * answers with a bridge: REF_BRIDGE=1), then the crossed pairs as extra rows.
 */
function composePart(berthHost, dockerHost) {
  if (!composeAvailable(BERTH)) {
    console.log('(no /usr/bin/docker-compose or bin/berth: the compose part is skipped)');
    return;
  }
  const dir = mkdtempSync('/tmp/berth-bench-compose-');
  try {
    const project = makeComposeProject(dir);
    const rounds = Number(opt('--compose-runs', '5'));
    const ours = { name: 'berth compose, berthd', kind: 'berth', host: berthHost, image: 'busybox' };
    const theirs = { name: 'docker-compose, docker', kind: 'docker-compose', host: dockerHost, image: 'busybox-ref' };
    const setups = [ours, { name: 'docker-compose, berthd', kind: 'docker-compose', host: berthHost, image: 'busybox' }];
    if (!dockerHost) console.log(`(no Docker engine: start one with REF_BRIDGE=1 ../shared/tools/reference-docker start)`);
    else if (!engineHasBridge(dockerHost)) console.log(`(the Docker engine at ${dockerHost} has no bridge: restart it with REF_BRIDGE=1 for the compose part)`);
    else setups.splice(1, 0, theirs, { name: 'berth compose, docker', kind: 'berth', host: dockerHost, image: 'busybox-ref' });
    console.log(`(compose part: load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at its start)`);
    const got = composeSuites(setups, { berth: BERTH, project, rounds });
    if (got[theirs.name]) reportComposeRatios(got[ours.name], got[theirs.name]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`# Berth benchmark — ${new Date().toISOString()}, ${os.cpus().length} CPUs, median of ${RUNS}`);
  let runc = 0;
  if (!args.includes('--dist-only') && !args.includes('--build-only') && !args.includes('--compose-only')) {
    const bundle = runcBundle();
    let n = 0;
    runc = measure('bare: runc run (busybox true)', () => time('runc', ['--root', `${bundle}/state`, 'run', '--bundle', bundle, `bench-${process.pid}-${n++}`]));
    rmSync(bundle, { recursive: true, force: true });
  }

  const own = opt('--berth-host') ? undefined : await startBerthd();
  const berthHost = opt('--berth-host', own?.host);
  if (args.includes('--build-only')) {
    try {
      const dockerHost = opt('--docker-host', 'unix:///run/refdocker/docker.sock');
      buildPart(berthHost, answers(dockerHost) ? dockerHost : undefined);
    } finally {
      await own?.stop();
    }
    return;
  }
  if (args.includes('--compose-only')) {
    try {
      const dockerHost = opt('--docker-host', 'unix:///run/refdocker/docker.sock');
      composePart(berthHost, answers(dockerHost) ? dockerHost : undefined);
    } finally {
      await own?.stop();
    }
    return;
  }
  if (args.includes('--dist-only')) {
    try {
      await distributionPart(berthHost, opt('--docker-host', 'unix:///run/refdocker/docker.sock'));
    } finally {
      await own?.stop();
    }
    return;
  }
  try {
    const b = engineSuite('berth', berthHost, 'busybox');
    b.createRm = await createRmLoop(berthHost, 'busybox');
    reportCreateRm('berth', b.createRm);
    const berthCli = existsSync(BERTH) ? measure('berth: berth run --rm busybox true', () => time(BERTH, ['run', '--rm', 'busybox', 'true'], { BERTH_HOST: berthHost })) : undefined;
    measure('berth: docker version (CLI start + one request)', () => time(DOCKER, ['version'], { DOCKER_HOST: berthHost }));
    if (existsSync(BERTH)) measure('berth: berth version (CLI start + one request)', () => time(BERTH, ['version'], { BERTH_HOST: berthHost }));
    if (own) {
      await new Promise((r) => setTimeout(r, 1000));
      console.log(`${'berth: berthd idle RSS'.padEnd(58)} ${rssMiB(own.pid).toFixed(1).padStart(8)} MiB`);
    }
    console.log(`ratio berth docker-run / runc run: ${(b.runDocker / runc).toFixed(2)}x  (target < 3x)`);
    console.log(`berth volume overhead over a plain run: named ${(b.runNamedVolume - b.runDocker).toFixed(1)} ms, anonymous ${(b.runAnonVolume - b.runDocker).toFixed(1)} ms`);
    console.log(`berth default-bridge overhead over --network none: ${(b.runDocker - b.runNone).toFixed(1)} ms`);
    if (berthCli) console.log(`ratio berth CLI run / docker CLI run (same berthd): ${(berthCli / b.runDocker).toFixed(2)}x  (target < 1.3x)`);

    const dockerHost = opt('--docker-host', 'unix:///run/refdocker/docker.sock');
    const docker = answers(dockerHost);
    // Distribution: push/pull through a local docker-registry and save/load, Berth then Docker.
    if (!args.includes('--no-dist')) await distributionPart(berthHost, dockerHost);
    // Builds: the docker CLI's classic builder against each engine, and berth build against berthd.
    if (!args.includes('--no-build')) buildPart(berthHost, docker ? dockerHost : undefined);
    // Compose: berth compose against berthd, docker-compose against Docker (up -d, down -v).
    if (!args.includes('--no-compose')) composePart(berthHost, docker ? dockerHost : undefined);
    if (docker) {
      const d = engineSuite('docker', dockerHost, 'busybox-ref');
      d.createRm = await createRmLoop(dockerHost, 'busybox-ref');
      reportCreateRm('docker', d.createRm);
      console.log(`ratio docker docker-run / runc run: ${(d.runDocker / runc).toFixed(2)}x`);
      const bridgeCost = (x) => x.runDocker - x.runNone;
      console.log(`bridge overhead over --network none: berth ${bridgeCost(b).toFixed(1)} ms, docker ${bridgeCost(d).toFixed(1)} ms, ratio ${(bridgeCost(b) / bridgeCost(d)).toFixed(2)}x  (target <= 0.5x; docker's is 0 unless REF_BRIDGE=1)`);
      console.log(`ratio berth / docker: run --rm ${(b.runDocker / d.runDocker).toFixed(2)}x, create+start+rm ${(b.createStartRm / d.createStartRm).toFixed(2)}x, exec ${(b.exec / d.exec).toFixed(2)}x`);
      console.log(`ratio berth / docker: run --rm -v named ${(b.runNamedVolume / d.runNamedVolume).toFixed(2)}x, run --rm -v anonymous ${(b.runAnonVolume / d.runAnonVolume).toFixed(2)}x`);
      console.log(`ratio berth / docker: 200 create + rm ${(b.createRm / d.createRm).toFixed(2)}x  (target <= 0.5x)`);
    } else {
      console.log(`(no Docker engine at ${dockerHost}: start one with ../shared/tools/reference-docker start)`);
    }
  } finally {
    await own?.stop();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
