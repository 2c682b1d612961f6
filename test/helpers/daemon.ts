/**
 * startDaemon(t): a real berthd (bin/berthd, built by `npm run build`) on its
 * own data root, exec root and socket, torn down by `t.after` whether the
 * test passed or not: containers force-removed, daemon stopped by PID,
 * leftover mounts under its roots unmounted, directories removed. On
 * failure the daemon's log is printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { claimNetSlot, scrub, type NetSlot } from './net-slot.ts';
import { promises as fs, readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BERTHD = path.join(ROOT, 'bin/berthd');
export const BERTH = path.join(ROOT, 'bin/berth');
export const DOCKER = '/usr/local/bin/docker';

export interface Daemon {
  dataRoot: string;
  execRoot: string;
  socket: string;
  host: string;
  logFile: string;
  child: ChildProcess;
  /** Stop the daemon (SIGTERM, or SIGKILL when `hard`), leaving containers running. */
  stop(hard?: boolean): Promise<void>;
  /** Its own default bridge and subnets (net-slot.ts). */
  slot: NetSlot;
  /** IDs of networks it had (noted at teardown and by net-check's assertClean): their netavark chains are scrubbed too. */
  networkIds: Set<string>;
  /** Start the daemon again on the same roots (with `env` added to its environment, e.g. a BERTH_FAILPOINT). */
  restart(env?: NodeJS.ProcessEnv): Promise<void>;
  api(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
}

/** Root is required for integration tests: skipped locally without it, failed in CI. */
export function requireRoot(t: TestContext): boolean {
  if (process.getuid?.() === 0) return true;
  if (process.env.CI === 'true') throw new Error('integration tests need root in CI');
  t.skip('needs root');
  return false;
}

export function apiRequest(socket: string, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { socketPath: socket, method, path: urlPath, headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function waitForSocket(socket: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`berthd exited with ${child.exitCode}`);
    try {
      const r = await apiRequest(socket, 'GET', '/_ping');
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('berthd did not answer /_ping in time');
}

/** `umask`: the umask berthd is started under (it sets its own; tests check it does). */
export async function startDaemon(t: TestContext, options: { bootstrap?: boolean; args?: string[]; umask?: number } = {}): Promise<Daemon> {
  const tag = randomBytes(4).toString('hex');
  const dataRoot = `/tmp/berth-test/${tag}/data`;
  // Short: unix socket paths (conmon's attach socket lives below) are limited to 108 bytes.
  const execRoot = `/run/bt-${tag}`;
  const socket = `${execRoot}/berth.sock`;
  const logFile = `/tmp/berth-test/${tag}/berthd.log`;
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const slot = claimNetSlot();

  const launch = async (env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> => {
    const out = await fs.open(logFile, 'a');
    const args = ['-H', `unix://${socket}`, '--data-root', dataRoot, '--exec-root', execRoot, '--log-level', 'debug', ...slot.args, ...(options.args ?? [])];
    // Through a shell that sets the umask and execs berthd: the child's PID stays berthd's.
    const argv = options.umask === undefined ? [BERTHD, ...args] : ['/bin/sh', '-c', `umask ${options.umask.toString(8).padStart(3, '0')}; exec "$0" "$@"`, BERTHD, ...args];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', out.fd, out.fd], env: { ...process.env, ...env } });
    await out.close();
    await waitForSocket(socket, child, 15_000);
    return child;
  };

  const daemon: Daemon = {
    dataRoot,
    execRoot,
    socket,
    host: `unix://${socket}`,
    logFile,
    child: await launch(),
    async stop(hard = false) {
      const child = daemon.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(hard ? 'SIGKILL' : 'SIGTERM');
      await exited;
    },
    async restart(env) {
      daemon.child = await launch(env);
    },
    api: (method, urlPath, body) => apiRequest(socket, method, urlPath, body),
    slot,
    networkIds: new Set(),
  };

  t.after(async () => {
    try {
      if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
        const nets = await daemon.api('GET', '/networks').catch(() => undefined);
        for (const n of (nets?.body as Array<{ Id: string }> | undefined) ?? []) daemon.networkIds.add(n.Id);
        const list = await daemon.api('GET', '/containers/json?all=1').catch(() => undefined);
        for (const c of (list?.body as Array<{ Id: string }> | undefined) ?? []) {
          await daemon.api('DELETE', `/containers/${c.Id}?force=1`).catch(() => undefined);
        }
      }
    } finally {
      await daemon.stop();
      await cleanupRoots(dataRoot, execRoot);
      scrub(slot, [], [...daemon.networkIds]);
      slot.release();
      if (process.env.BERTH_TEST_DAEMON_LOG && existsSync(logFile)) process.stderr.write(`--- berthd log (${logFile}) ---\n${readFileSync(logFile, 'utf8').slice(-8000)}\n`);
      await fs.rm(path.dirname(path.dirname(dataRoot)) + `/${tag}`, { recursive: true, force: true }).catch(() => undefined);
      await fs.rmdir('/tmp/berth-test').catch(() => undefined); // only once the last test is done with it
    }
  });

  if (options.bootstrap !== false) {
    const r = await daemon.api('POST', '/images/bootstrap?name=busybox');
    if (r.status !== 200) throw new Error(`bootstrap failed: ${r.status} ${r.text}`);
  }
  return daemon;
}

/** Kill leftover monitors (by the PIDs in their files), unmount what is under the roots, remove them. */
export async function cleanupRoots(dataRoot: string, execRoot: string): Promise<void> {
  const pidFiles = await findFiles(execRoot, (n) => n === 'conmon.pid');
  for (const f of pidFiles) {
    const pid = Number(readFileSync(f, 'utf8').trim());
    if (pid > 1) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(dataRoot) || m.startsWith(execRoot))
    .sort()
    .reverse();
  for (const m of mounts) {
    await new Promise<void>((resolve) => spawn('umount', ['-l', m], { stdio: 'ignore' }).on('close', () => resolve()));
  }
  // runc state of containers that were still running: delete them so no process or cgroup stays behind.
  const runcRoot = `${execRoot}/runc`;
  for (const id of await fs.readdir(runcRoot).catch(() => [] as string[])) {
    await new Promise<void>((resolve) =>
      spawn('runc', ['--root', runcRoot, 'delete', '--force', id], { stdio: 'ignore' }).on('close', () => resolve()),
    );
  }
  await fs.rm(execRoot, { recursive: true, force: true }).catch(() => undefined);
  await fs.rm(dataRoot, { recursive: true, force: true }).catch(() => undefined);
}

async function findFiles(dir: string, pred: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await findFiles(p, pred)));
    else if (pred(e.name)) out.push(p);
  }
  return out;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a CLI (the real docker CLI or bin/berth) against a daemon. */
export function runCli(bin: string, daemon: { host: string }, args: string[], options: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      env: { ...process.env, DOCKER_HOST: daemon.host, BERTH_HOST: daemon.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    child.stdin.end(options.input);
  });
}

export const docker = (daemon: { host: string }, args: string[], options?: Parameters<typeof runCli>[3]) => runCli(DOCKER, daemon, args, options);
