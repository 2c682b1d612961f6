/**
 * Debian's docker-registry (distribution 2.8.2) on 127.0.0.1 with a free
 * port and its own storage, optionally behind htpasswd basic auth; stopped
 * by its PID and its directory removed in `t.after`, even on failure.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { freePort } from './net-check.ts';

export interface Registry {
  /** `127.0.0.1:PORT`. */
  host: string;
  dir: string;
  child: ChildProcess;
  /** GET a registry path (`/v2/a/b/tags/list`) with the registry's credentials when it has them. */
  get(urlPath: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; text: string }>;
}

export async function startRegistry(t: TestContext, options: { user?: string; password?: string } = {}): Promise<Registry> {
  const dir = `/tmp/berth-test-registry/${randomBytes(4).toString('hex')}`;
  await fs.mkdir(path.join(dir, 'storage'), { recursive: true });
  const port = await freePort();
  let auth = '';
  if (options.user) {
    const line = execFileSync('htpasswd', ['-Bbn', options.user, options.password ?? ''], { encoding: 'utf8' });
    await fs.writeFile(path.join(dir, 'htpasswd'), line);
    auth = `auth:\n  htpasswd:\n    realm: basic-realm\n    path: ${dir}/htpasswd\n`;
  }
  const config = `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/storage\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`;
  await fs.writeFile(path.join(dir, 'config.yml'), config);
  const log = await fs.open(path.join(dir, 'registry.log'), 'a');
  const child = spawn('/usr/bin/docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rmdir('/tmp/berth-test-registry').catch(() => undefined); // only once the last registry is gone
  });
  const host = `127.0.0.1:${port}`;
  const basic = options.user ? { authorization: `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}` } : {};
  const get = async (urlPath: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://${host}${urlPath}`, { headers: { ...basic, ...headers } });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${await fs.readFile(path.join(dir, 'registry.log'), 'utf8').catch(() => '')}`);
    try {
      await fetch(`http://${host}/v2/`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('docker-registry did not start listening');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { host, dir, child, get };
}
