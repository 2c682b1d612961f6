/** Shared by the containers-… volume tests: both CLIs, and the check that a test left no mount behind. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BERTH, docker, runCli, type CliResult, type Daemon } from '../../helpers/daemon.ts';
import { pollUntil } from '../../helpers/wait.ts';

export interface Cli {
  name: 'docker' | 'berth';
  run(d: Daemon, args: string[], options?: Parameters<typeof runCli>[3]): Promise<CliResult>;
}

export const CLIS: Cli[] = [
  { name: 'docker', run: (d, args, options) => docker(d, args, options) },
  { name: 'berth', run: (d, args, options) => runCli(BERTH, d, args, options) },
];

/** Mount points in /proc/mounts under the daemon's roots. */
export function mountsOf(d: Daemon): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(d.dataRoot) || m.startsWith(d.execRoot));
}

/**
 * The end of a test: every container removed (with its anonymous volumes),
 * then, once the removals are released, no mount under the daemon's data
 * root is left (rootfs overlays, volume mounts of the local driver).
 */
export async function assertNoMountsLeft(d: Daemon): Promise<void> {
  const list = await d.api('GET', '/containers/json?all=1');
  for (const c of list.body as Array<{ Id: string }>) await d.api('DELETE', `/containers/${c.Id}?force=1&v=1`);
  const left = await pollUntil(() => mountsOf(d).filter((m) => m.startsWith(d.dataRoot)), (m) => m.length === 0, { timeoutMs: 10_000 }).catch(() => mountsOf(d));
  assert.deepEqual(left.filter((m) => m.startsWith(d.dataRoot)), [], 'no mount of the test is left under its data root');
}

/** Run and assert success; stdout trimmed. */
export async function ok(cli: Cli, d: Daemon, args: string[], options?: Parameters<typeof runCli>[3]): Promise<string> {
  const r = await cli.run(d, args, options);
  assert.equal(r.code, 0, `${cli.name} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}
