/**
 * Runs a docker-compatible CLI binary against a daemon and captures stdout,
 * stderr and the exit code. The binary is BERTH_TEST_CLI (default bin/berth;
 * /usr/local/bin/docker proves the expectations are Docker's), the daemon
 * BERTH_TEST_HOST; without it every case skips with the reason.
 * `{bin}` in expectations stands for the binary's name ("berth" or "docker").
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestContext } from 'node:test';

export const CLI = process.env['BERTH_TEST_CLI'] || path.resolve(import.meta.dirname, '../../../bin/berth');
export const HOST = process.env['BERTH_TEST_HOST'];
export const IMAGE = process.env['BERTH_TEST_IMAGE'] || 'busybox-ref';
export const BIN = path.basename(CLI);

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

/** Skip the test (with a reason) when no daemon is configured. */
export function requireHost(t: TestContext): boolean {
  if (!HOST) {
    t.skip('BERTH_TEST_HOST is not set (the conformance harness sets it to a daemon socket)');
    return false;
  }
  return true;
}

export function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Result {
  const r = spawnSync(CLI, args, {
    input: opts.input ?? '',
    env: { ...process.env, DOCKER_HOST: HOST ?? '', BERTH_HOST: '', DOCKER_CONTEXT: '', DOCKER_CONFIG: path.join(import.meta.dirname, '.no-config'), ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** Replace `{bin}` with the binary's name. */
export function b(text: string): string {
  return text.replaceAll('{bin}', BIN);
}

/** A name unique to this test, for resources it creates. */
export function testName(t: TestContext): string {
  return `conf-${t.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40)}-${process.pid}`;
}
