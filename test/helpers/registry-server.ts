/**
 * `berth registry serve` for tests: the real CLI (its Node bundle, so the
 * PID we hold is the server's own, for kill -9) on 127.0.0.1 and a free
 * port, a temp root, stopped and removed in `t.after` even on failure
 * (BERTH_TEST_REGISTRY_LOG=1 prints the server's log then).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from './net-check.ts';
import { waitForOutput } from './wait.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
/** The CLI as a Node program: bin/berth-node when bin/berth is Bun-compiled, else bin/berth. */
export const BERTH_NODE = existsSync(path.join(ROOT, 'bin/berth-node')) ? path.join(ROOT, 'bin/berth-node') : path.join(ROOT, 'bin/berth');

export interface RegistryProcess {
  url: string;
  port: number;
  /** host:port, as skopeo and docker references want it. */
  hostPort: string;
  root: string;
  child: ChildProcess;
  log(): string;
  /** SIGKILL and wait for the exit. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** A temp directory removed in t.after. */
export function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Stop functions of every process serving a root, so the owner removes the root only once all are stopped. */
const onRoot = new Map<string, (() => Promise<void>)[]>();

export async function startRegistryProcess(t: TestContext, opts: { root?: string; config?: string; port?: number; https?: boolean } = {}): Promise<RegistryProcess> {
  const owned = opts.root === undefined;
  const root = opts.root ?? mkdtempSync(path.join(os.tmpdir(), 'berth-reg-'));
  const port = opts.port ?? (await freePort());
  const args = [BERTH_NODE, 'registry', 'serve', '--addr', `127.0.0.1:${port}`, '--root', root];
  if (opts.config) args.push('--config', opts.config);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  onRoot.set(root, [...(onRoot.get(root) ?? []), stop]);
  t.after(async () => {
    await stop();
    if (owned) {
      for (const other of onRoot.get(root) ?? []) await other();
      onRoot.delete(root);
      rmSync(root, { recursive: true, force: true });
    }
    if (process.env['BERTH_TEST_REGISTRY_LOG']) process.stderr.write(`--- registry log (${t.name}) ---\n${out.slice(-8000)}\n`);
  });
  await Promise.race([
    waitForOutput(child.stdout!, /listening on/),
    exited.then(() => {
      throw new Error(`registry exited: ${out}`);
    }),
  ]);
  return {
    url: `${opts.https ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    hostPort: `127.0.0.1:${port}`,
    root,
    child,
    log: () => out,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop,
  };
}
