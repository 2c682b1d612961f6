/**
 * Checks shared by the network integration tests: what a daemon's slot has
 * on the host (namespaces, veths, iptables rules), and the final check that
 * nothing of a test is left once everything it made is removed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import type { TestContext } from 'node:test';
import type { Daemon } from './daemon.ts';
import { leftovers } from './net-slot.ts';

/** Assert a CLI call succeeded; its trimmed stdout. */
export async function ok(p: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<string> {
  const r = await p;
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A port nobody listens on now (the kernel's pick). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** GET http://host:port/ with a short retry (httpd needs a moment to listen). */
export async function fetchText(host: string, port: number, tries = 40): Promise<string> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const res = await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(2000) });
      return await res.text();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing served on ${host}:${port}: ${String(last)}`);
}

/** A busybox httpd serving `page` on port 80 (the command after the image). */
export const serve = (page: string) => ['sh', '-c', `mkdir -p /www && echo '${page}' > /www/index.html && exec httpd -f -p 80 -h /www`];

function sh(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** What of the daemon is on the host now: its namespace files, the veths on its bridges, its iptables rules. */
export interface HostState {
  netns: string[];
  veths: string[];
  rules: string[];
}

export function hostState(d: Daemon): HostState {
  let netns: string[] = [];
  try {
    netns = readdirSync(`${d.execRoot}/netns`).filter((f) => !f.endsWith('.json') && !f.includes('.tmp')).sort();
  } catch {
    // no namespace made yet
  }
  const bridges = new Set([d.slot.bridge, ...sh('ip', ['-o', 'addr', 'show']).split('\n').filter((l) => l.includes(`10.201.${d.slot.n}.`)).map((l) => l.split(/\s+/)[1]!)]);
  const veths = sh('ip', ['-o', 'link', 'show'])
    .split('\n')
    .filter((l) => [...bridges].some((b) => l.includes(` master ${b} `)))
    .map((l) => l.split(': ')[1]!.split('@')[0]!)
    .sort();
  const rules = leftovers(d.slot).filter((l) => l.startsWith('iptables')).sort();
  return { netns, veths, rules };
}

/** The sandbox IDs of the daemon's running containers. */
export async function runningSandboxes(d: Daemon): Promise<string[]> {
  const list = (await d.api('GET', '/containers/json')).body as { Id: string }[];
  const out: string[] = [];
  for (const c of list) {
    const key = ((await d.api('GET', `/containers/${c.Id}/json`)).body as { NetworkSettings: { SandboxKey: string } }).NetworkSettings.SandboxKey;
    if (key) out.push(key.split('/').pop()!);
  }
  return out;
}

/** Nothing of a failure is left: the host state is back to `before` (teardowns of a failure may finish just after the reply). */
export async function assertUnchanged(d: Daemon, before: HostState, what: string): Promise<void> {
  let now = hostState(d);
  // Up to 20 s: under load a spare sandbox being prepared (its veth up, its namespace file not yet renamed in) takes a while.
  for (let i = 0; i < 200 && JSON.stringify(now) !== JSON.stringify(before); i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = hostState(d);
  }
  assert.deepEqual(now, before, `${what} left something on the host`);
  // Only running containers' namespaces and the ready spares.
  const live = new Set(await runningSandboxes(d));
  const spare = now.netns.filter((n) => !live.has(n));
  assert.ok(spare.length <= 2, `${what}: namespaces of no running container beyond the 2 spares: ${spare.join(' ')}`);
}

/**
 * After every container and user network is removed and the daemon stopped: nothing of the slot
 * on the host (links, rules, the netavark chains of the daemon's networks, namespace files).
 */
export async function assertClean(t: TestContext, d: Daemon, extraLinks: string[] = []): Promise<void> {
  const list = (await d.api('GET', '/containers/json?all=1')).body as { Id: string }[];
  for (const c of list) await d.api('DELETE', `/containers/${c.Id}?force=1`);
  const nets = (await d.api('GET', '/networks')).body as { Id: string; Name: string }[];
  for (const n of nets) d.networkIds.add(n.Id);
  for (const n of nets) if (!['bridge', 'host', 'none'].includes(n.Name)) await d.api('DELETE', `/networks/${n.Id}`);
  await d.stop();
  // Rules naming the slot, and the netavark chains of the daemon's networks (an emptied chain nothing jumps to included).
  assert.deepEqual(leftovers(d.slot, extraLinks, [...d.networkIds]), [], `left on the host by ${t.name}`);
  let netns: string[] = [];
  try {
    netns = readdirSync(`${d.execRoot}/netns`);
  } catch {
    // never made
  }
  assert.deepEqual(netns, [], `namespace files left by ${t.name}`);
}
