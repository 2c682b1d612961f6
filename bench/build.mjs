// The builder part of the benchmark: one context (a Dockerfile with 10 RUN
// steps around a 50 MB COPY of seeded random data and a small app
// directory), built by one engine with the docker CLI's classic builder
// (DOCKER_BUILDKIT=0): a cold build (--no-cache), a fully cached rebuild,
// and a rebuild after one copied file changed (re-runs that COPY and the
// five RUN steps after it). Medians; used by bench.mjs for Berth and, when
// it runs, Docker, with the ratios printed side by side.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';

const DOCKER = '/usr/local/bin/docker';
const BIG_MB = 50;
const TAG = 'bench/build:1';

/** mulberry32 (as test/helpers/seeded-random.ts): the same 50 MB every run. */
function seededBytes(seed, size) {
  const out = Buffer.allocUnsafe(size);
  let a = seed;
  for (let i = 0; i < size; i += 4) {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    out.writeUInt32LE((r ^ (r >>> 14)) >>> 0, i);
  }
  return out;
}

/** The context directory: Dockerfile (base image as a build arg), big.bin, app/. */
export function makeBuildContext(dir) {
  const ctx = path.join(dir, 'build-context');
  mkdirSync(path.join(ctx, 'app'), { recursive: true });
  writeFileSync(path.join(ctx, 'big.bin'), seededBytes(13, BIG_MB * 1024 * 1024));
  for (let i = 0; i < 20; i++) writeFileSync(path.join(ctx, 'app', `file${i}.txt`), `app file ${i}\n`.repeat(50));
  const runs = (from) => Array.from({ length: 5 }, (_, i) => `RUN echo step ${from + i} > /step${from + i} && ls /bin > /dev/null`).join('\n');
  writeFileSync(
    path.join(ctx, 'Dockerfile'),
    `ARG BASE=busybox\nFROM \${BASE}\n${runs(1)}\nCOPY big.bin /data/big.bin\nCOPY app/ /app/\n${runs(6)}\nCMD ["cat", "/app/file0.txt"]\n`,
  );
  return ctx;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function build(cli, env, ctx, base, extra, iids) {
  const iid = path.join(ctx, '..', `iid-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cli, ['build', '-q', '--iidfile', iid, '--build-arg', `BASE=${base}`, '-t', TAG, ...extra, ctx], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cli} build failed (${r.status}): ${r.stderr}`);
  if (existsSync(iid)) iids.add(readFileSync(iid, 'utf8').trim());
  return ms;
}

/**
 * The three builds, `runs` times each, with `cli` (the docker CLI, or berth)
 * against `host`; `base` is the engine's busybox image.
 */
export function buildSuite(name, host, base, ctx, runs, cli = DOCKER) {
  const env = { DOCKER_HOST: host, BERTH_HOST: host, DOCKER_BUILDKIT: '0' };
  const iids = new Set();
  const label = (what) => `${name}: build ${what}`.padEnd(58);
  const report = (what, samples) => {
    const m = median(samples);
    console.log(`${label(what)} ${m.toFixed(0).padStart(8)} ms`);
    return m;
  };
  const changed = path.join(ctx, 'app', 'file7.txt');
  const original = readFileSync(changed);
  const out = {};
  try {
    build(cli, env, ctx, base, ['--no-cache'], iids); // warm-up: page cache, base image
    out.cold = report('cold (--no-cache, 10 RUN + 50 MB COPY)', Array.from({ length: runs }, () => build(cli, env, ctx, base, ['--no-cache'], iids)));
    out.cached = report('fully cached rebuild', Array.from({ length: runs }, () => build(cli, env, ctx, base, [], iids)));
    let n = 0;
    out.oneFile = report('one copied file changed', Array.from({ length: runs }, () => {
      writeFileSync(changed, `${original}changed ${name} ${process.pid} ${n++}\n`);
      return build(cli, env, ctx, base, [], iids);
    }));
  } finally {
    writeFileSync(changed, original);
    // Every image made here (older ones are dangling after a rebuild): removed with their parents.
    for (const id of iids) spawnSync(cli, ['rmi', '-f', id], { env: { ...process.env, ...env }, stdio: 'ignore' });
  }
  return out;
}

export function reportBuildRatios(b, d) {
  const r = (k) => (b[k] / d[k]).toFixed(2);
  console.log(`ratio berth / docker build: cold ${r('cold')}x (target <= 1x), cached ${r('cached')}x (target <= 0.5x), one file changed ${r('oneFile')}x`);
}

export function buildAvailable() {
  return existsSync(DOCKER);
}

