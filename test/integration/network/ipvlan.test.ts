/**
 * ipvlan networks on a parent the test makes (a veth pair: this kernel has
 * no dummy links). Kernels without ipvlan (this machine's) skip the test,
 * saying so, when `ip link add … type ipvlan` fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startDaemon, requireRoot, docker } from '../../helpers/daemon.ts';
import { assertClean, ok } from '../../helpers/net-check.ts';

function ip(args: string[]): { ok: boolean; stderr: string } {
  try {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    return { ok: true, stderr: '' };
  } catch (err) {
    return { ok: false, stderr: String((err as { stderr?: Buffer }).stderr ?? err).trim() };
  }
}

test('an ipvlan network on a parent link gives its containers an address of its subnet', async (t) => {
  if (!requireRoot(t)) return;
  const n = 200 + (process.pid % 50);
  const parent = `bhd${n}p`;
  t.after(() => { ip(['link', 'del', `bhd${n}i`]); ip(['link', 'del', parent]); });
  assert.ok(ip(['link', 'add', parent, 'type', 'veth', 'peer', 'name', `bhd${n}q`]).ok, 'a veth pair for the parent');
  const probe = ip(['link', 'add', `bhd${n}i`, 'link', parent, 'type', 'ipvlan', 'mode', 'l2']);
  if (!probe.ok) {
    t.skip(`this kernel has no ipvlan (ip link add … type ipvlan: ${probe.stderr})`);
    return;
  }
  ip(['link', 'del', `bhd${n}i`]);
  const d = await startDaemon(t);
  await ok(docker(d, ['network', 'create', '-d', 'ipvlan', '-o', `parent=${parent}`, '--subnet', `10.218.${n}.0/24`, 'ipv']), 'network create -d ipvlan');
  const out = await ok(docker(d, ['run', '--rm', '--network', 'ipv', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0']), 'run on ipvlan');
  assert.match(out, new RegExp(`inet 10\\.218\\.${n}\\.\\d+/24`));
  await assertClean(t, d);
  assert.equal(execFileSync('ip', ['-o', 'link', 'show']).toString().includes(`@${parent}`), false, 'no ipvlan link left on the parent');
});
