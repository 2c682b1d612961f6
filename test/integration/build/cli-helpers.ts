/**
 * What the `berth build` CLI tests share: context directories made from a
 * file table (removed after the test), berth and the docker CLI run
 * against a test daemon (optionally in a directory, with input or an
 * environment), a file read out of a built image, and the end-of-test
 * check that nothing stays mounted under the daemon's roots.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { BERTH, DOCKER, type CliResult, type Daemon } from '../../helpers/daemon.ts';

export type FileTable = Record<string, string | { content: string; mode?: number } | { symlink: string }>;

/** A fresh directory holding `files` (parents made as needed). */
export function makeDir(t: TestContext, files: FileTable): string {
  const dir = mkdtempSync('/tmp/berth-test-build-cli-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [rel, spec] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    if (rel.endsWith('/')) mkdirSync(p, { recursive: true });
    else if (typeof spec === 'string') writeFileSync(p, spec);
    else if ('symlink' in spec) symlinkSync(spec.symlink, p);
    else writeFileSync(p, spec.content, { mode: spec.mode ?? 0o644 });
  }
  return dir;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
}

export function cli(bin: string, d: Daemon, args: string[], o: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: o.cwd,
      env: { ...process.env, DOCKER_HOST: d.host, BERTH_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config', DOCKER_BUILDKIT: '0', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 120_000,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    child.stdin.on('error', () => undefined); // a CLI that exits before reading its input
    child.stdin.end(o.input);
  });
}

export const berth = (d: Daemon, args: string[], o?: RunOptions) => cli(BERTH, d, args, o);
export const dockerCli = (d: Daemon, args: string[], o?: RunOptions) => cli(DOCKER, d, args, o);

/** `berth build` that must succeed; its result. */
export async function buildOk(d: Daemon, args: string[], o?: RunOptions): Promise<CliResult> {
  const r = await berth(d, ['build', ...args], o);
  assert.equal(r.code, 0, `berth build ${args.join(' ')}: ${r.stderr}\n${r.stdout}`);
  return r;
}

/** The output of a command run in a fresh container of `image`. */
export async function runIn(d: Daemon, image: string, cmd: string[]): Promise<string> {
  const r = await berth(d, ['run', '--rm', image, ...cmd]);
  assert.equal(r.code, 0, `run ${image} ${cmd.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * No container is left (a failed build removes its step containers too),
 * and once the daemon is stopped nothing under its roots is mounted.
 */
export async function assertNoMounts(d: Daemon): Promise<void> {
  const r = await berth(d, ['ps', '-aq']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', 'containers left by the builds');
  await d.stop();
  const left = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => [d.dataRoot, d.execRoot].some((root) => m === root || m.startsWith(`${root}/`)));
  assert.deepEqual(left, [], `mounts left under ${d.dataRoot} / ${d.execRoot}`);
}
