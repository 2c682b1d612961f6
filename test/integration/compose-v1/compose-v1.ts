/**
 * Driving Debian's docker-compose 1.29 (python, docker-py: an Engine API
 * client only) against a test daemon: no TTY, no interactive CLI, docker-py's
 * own build (POST /build) rather than the docker CLI's.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import type { TestContext } from 'node:test';
import type { Daemon } from '../../helpers/daemon.ts';

export const COMPOSE = '/usr/bin/docker-compose';

/** docker-compose is installed by scripts/setup.sh: skipped locally without it, failed in CI. */
export function requireCompose(t: TestContext): boolean {
  if (existsSync(COMPOSE)) return true;
  if (process.env.CI === 'true') throw new Error('docker-compose is missing: run scripts/setup.sh');
  t.skip('needs docker-compose (scripts/setup.sh)');
  return false;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function compose(d: Daemon, cwd: string, args: string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(COMPOSE, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DOCKER_HOST: d.host,
        COMPOSE_INTERACTIVE_NO_CLI: '1',
        COMPOSE_DOCKER_CLI_BUILD: '0',
        DOCKER_BUILDKIT: '0',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function ok(r: Promise<Run>, what: string): Promise<Run> {
  const got = await r;
  if (got.code !== 0) throw new Error(`${what}: exit ${got.code}\nstdout: ${got.stdout}\nstderr: ${got.stderr}`);
  return got;
}

/** A TCP port the kernel says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Mounts under the daemon's roots or the project's directory. */
export function mountsUnder(...prefixes: string[]): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => prefixes.some((p) => m.startsWith(p)));
}
