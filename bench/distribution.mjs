// The distribution part of the benchmark: push and pull of an image of 4
// layers of 50 MB of random data through Debian's docker-registry on
// 127.0.0.1 (a fresh registry each round, so every push uploads every
// blob), and save/load of the same image, for one engine; printed as
// medians and MB/s. Used by bench.mjs for Berth and, when it runs, Docker.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const DOCKER = '/usr/local/bin/docker';
const REGISTRY = '/usr/bin/docker-registry';
const LAYERS = 4;
const LAYER_MB = 50;
export const IMAGE_MB = LAYERS * LAYER_MB;

export function distributionAvailable() {
  return existsSync(REGISTRY);
}

/** A docker-archive (what `docker save` writes) of `bench/big:1`, 4 layers of 50 MB of random data each. */
export function makeArchive(dir) {
  const work = path.join(dir, 'archive');
  mkdirSync(work, { recursive: true });
  const diffIds = [];
  const layerPaths = [];
  for (let i = 0; i < LAYERS; i++) {
    const root = path.join(dir, `layer${i}`);
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, `random-${i}.bin`), randomBytes(LAYER_MB * 1024 * 1024));
    const tarName = `layer${i}/layer.tar`;
    mkdirSync(path.join(work, `layer${i}`), { recursive: true });
    execFileSync('tar', ['-C', root, '--owner=0', '--group=0', '--numeric-owner', '-cf', path.join(work, tarName), '.']);
    rmSync(root, { recursive: true, force: true });
    diffIds.push(`sha256:${sha256File(path.join(work, tarName))}`);
    layerPaths.push(tarName);
  }
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['true'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created: '2026-01-01T00:00:00Z', created_by: 'bench layer' })),
  });
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  writeFileSync(path.join(work, configName), config);
  writeFileSync(path.join(work, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: ['bench/big:1'], Layers: layerPaths }]));
  const archive = path.join(dir, 'big.tar');
  execFileSync('tar', ['-C', work, '-cf', archive, '.']);
  rmSync(work, { recursive: true, force: true });
  return archive;
}

function sha256File(file) {
  const r = spawnSync('sha256sum', [file], { encoding: 'utf8' });
  return r.stdout.split(' ')[0];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startRegistry(dir) {
  const port = await freePort();
  const root = mkdtempSync(path.join(dir, 'registry-'));
  const config = path.join(root, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${root}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn(REGISTRY, ['serve', config], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    address: `127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function timed(argv, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(DOCKER, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`docker ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** save/load, then `rounds` of push to a fresh registry and pull back into an engine without the image. */
export async function distributionSuite(name, host, archive, dir, rounds = 3) {
  const env = { DOCKER_HOST: host };
  const quiet = (argv) => spawnSync(DOCKER, argv, { env: { ...process.env, ...env }, stdio: 'ignore' });
  const mbps = (ms) => IMAGE_MB / (ms / 1000);
  const line = (label, ms) => console.log(`${`${name}: ${label}`.padEnd(58)} ${ms.toFixed(0).padStart(8)} ms  ${mbps(ms).toFixed(1).padStart(7)} MB/s`);
  quiet(['rmi', '-f', 'bench/big:1']);
  const load = timed(['load', '-i', archive], env);
  const saved = path.join(dir, `saved-${name}.tar`);
  const save = timed(['save', '-o', saved, 'bench/big:1'], env);
  rmSync(saved, { force: true });
  const pushes = [];
  const pulls = [];
  for (let round = 0; round < rounds; round++) {
    const registry = await startRegistry(dir);
    const ref = `${registry.address}/bench/big:1`;
    try {
      quiet(['tag', 'bench/big:1', ref]);
      pushes.push(timed(['push', ref], env));
      quiet(['rmi', '-f', ref, 'bench/big:1']);
      pulls.push(timed(['pull', ref], env));
      quiet(['tag', ref, 'bench/big:1']);
      quiet(['rmi', ref]);
    } finally {
      await registry.stop();
    }
  }
  quiet(['rmi', '-f', 'bench/big:1']);
  const out = { load, save, push: median(pushes), pull: median(pulls) };
  line(`docker load (${IMAGE_MB} MB, 4 layers)`, out.load);
  line(`docker save (${IMAGE_MB} MB, 4 layers)`, out.save);
  line(`docker push to docker-registry (median of ${rounds})`, out.push);
  line(`docker pull from docker-registry (median of ${rounds})`, out.pull);
  return out;
}

export function reportDistributionRatios(b, d) {
  const speed = (x, y) => (y / x).toFixed(2); // MB/s ratio = inverse time ratio
  console.log(`ratio berth / docker MB/s: pull ${speed(b.pull, d.pull)}x (target >= 1.5x), push ${speed(b.push, d.push)}x (target >= 1x), save ${speed(b.save, d.save)}x, load ${speed(b.load, d.load)}x`);
}

export function archiveSize(archive) {
  return statSync(archive).size;
}
