/**
 * `berth volume create|ls|inspect|rm|prune`, `system df` and `system prune
 * --volumes` beside the real docker CLI (28) on the same berthd: stdout,
 * stderr and exit code byte for byte. Read-only commands run both CLIs on
 * the same state; a command that changes state runs each CLI on its own
 * volumes (`d-…` for docker, `b-…` for berth) and the outputs are compared
 * with the prefix swapped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { BERTH, docker, requireRoot, runCli, startDaemon, type CliResult, type Daemon } from '../../helpers/daemon.ts';
import { assertNoMounts } from './helpers.ts';

/** berth, its own name in usage errors read as docker's. */
async function berth(d: Daemon, args: string[], options?: Parameters<typeof runCli>[3]): Promise<CliResult> {
  const r = await runCli(BERTH, d, args, options);
  return { ...r, stderr: r.stderr.replace(/\bberth\b/g, 'docker') };
}

/** Both CLIs on the same arguments: the same answer. */
async function same(d: Daemon, args: string[], input?: string): Promise<CliResult> {
  const a = await docker(d, args, { input });
  const b = await berth(d, args, { input });
  assert.deepEqual(b, a, `berth ${args.join(' ')}`);
  return a;
}

/** Each CLI on its own names (`{}` in an argument becomes `d` or `b`): the same answer, prefix swapped. */
async function mirrored(d: Daemon, args: string[], input?: string): Promise<CliResult> {
  const a = await docker(d, args.map((x) => x.replaceAll('{}', 'd')), { input });
  const b = await berth(d, args.map((x) => x.replaceAll('{}', 'b')), { input });
  const swap = (r: CliResult): CliResult => ({ ...r, stdout: r.stdout.replaceAll('b-', 'd-').replaceAll('=b', '=d'), stderr: r.stderr.replaceAll('b-', 'd-') });
  assert.deepEqual(swap(b), a, `berth ${args.join(' ')}`);
  return a;
}

test('volume create, ls and inspect print what docker prints', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const created = await mirrored(d, ['volume', 'create', '--label', 'cli={}', '--label', 'flag', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', '{}-one']);
  assert.equal(created.stdout, 'd-one\n');
  await mirrored(d, ['volume', 'create', '--name', '{}-two', '-d', 'local']);
  await mirrored(d, ['volume', 'create', '{}-two']);
  await mirrored(d, ['volume', 'create', '--name', '{}-x', '{}-y']);
  const anonD = await docker(d, ['volume', 'create']);
  const anonB = await berth(d, ['volume', 'create']);
  assert.match(anonD.stdout, /^[0-9a-f]{64}\n$/);
  assert.match(anonB.stdout, /^[0-9a-f]{64}\n$/);
  await same(d, ['volume', 'create', '--label', 'cli=x', 'nat-10']);
  await same(d, ['volume', 'create', 'nat-9']);

  await same(d, ['volume', 'ls']);
  await same(d, ['volume', 'list', '-q']);
  await same(d, ['volume', 'ls', '--filter', 'label=cli']);
  await same(d, ['volume', 'ls', '-f', 'label=cli=d', '-f', 'label=flag']);
  await same(d, ['volume', 'ls', '-f', 'dangling=true', '-f', 'name=two']);
  // {{.Labels}} joins a Go map in its random order: shown here only for volumes with one label or none.
  await same(d, ['volume', 'ls', '--format', '{{.Name}}|{{.Driver}}|{{.Scope}}|{{.Label "cli"}}|{{.Label "flag"}}|{{.Links}}|{{.Size}}|{{.Mountpoint}}']);
  await same(d, ['volume', 'ls', '--format', 'table {{.Name}}\t{{.Labels}}\t{{.Links}}', '-f', 'name=two']);
  await same(d, ['volume', 'ls', '--format', 'table {{.Name}}\t{{.Labels}}\t{{.Label "cli"}}', '-f', 'label=cli=x']);
  await same(d, ['volume', 'ls', '--format', 'json', '-f', 'label=cli=x']);
  await same(d, ['volume', 'ls', '--format', 'raw', '-f', 'name=one']);
  await same(d, ['volume', 'ls', '-q', '--format', 'raw', '-f', 'name=one']);
  await same(d, ['volume', 'ls', '-f', 'bogus=1']);
  await same(d, ['volume', 'ls', '-f', 'dangling=maybe']);

  await same(d, ['volume', 'inspect', 'd-one', 'b-two']);
  await same(d, ['volume', 'inspect', '-f', '{{.Name}} {{.Options}} {{.Labels}} {{json .Labels}} {{.Scope}}', 'd-one', 'b-one']);
  await same(d, ['volume', 'inspect', 'd-one', 'nope', 'b-one']);
  await same(d, ['volume', 'inspect', 'nope']);
  await same(d, ['inspect', '--type', 'volume', '-f', '{{.Name}}', 'b-two']);
  await same(d, ['inspect', '-f', '{{.Mountpoint}}', 'd-two']);
  assertNoMounts(d.dataRoot);
});

test('volume create refuses what dockerd refuses, with docker’s words and exit codes', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  for (const args of [
    ['volume', 'create', 'a'],
    ['volume', 'create', 'a/b'],
    ['volume', 'create', '-d', 'foo', 'vx'],
    ['volume', 'create', '-o', 'bogus=1', 'vx'],
    ['volume', 'create', '-o', 'type=tmpfs', 'vx'],
    ['volume', 'create', '-o', 'size=10m', 'vx'],
    ['volume', 'create', '--label', 'bad key=1', 'vx'],
    ['volume', 'create', 'one', 'two'],
  ]) {
    const r = await same(d, args);
    assert.notEqual(r.code, 0, args.join(' '));
  }
  assert.equal((await docker(d, ['volume', 'ls', '-q'])).stdout, '');
});

test('volume rm prints each removed name and reports the daemon’s errors, exit 1; -f forgives missing ones', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  for (const cli of ['d', 'b']) for (const n of ['x', 'y', 'z']) await docker(d, ['volume', 'create', `${cli}-${n}`]);
  await mirrored(d, ['volume', 'rm', '{}-x']);
  await mirrored(d, ['volume', 'rm', '{}-y', 'nope', '{}-x', 'other']);
  await mirrored(d, ['volume', 'remove', '-f', 'nope', '{}-z']);
  await same(d, ['volume', 'rm']);
  assert.equal((await docker(d, ['volume', 'ls', '-q'])).stdout, '');
});

test('volume prune asks first, removes anonymous volumes (all with -a), honours filters, and totals the space', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const make = async () => {
    for (const cli of ['d', 'b']) {
      await docker(d, ['volume', 'create', '--label', 'com.docker.volume.anonymous=', '--label', `cli=${cli}`, `${cli}-anon`]);
      await docker(d, ['volume', 'create', '--label', `cli=${cli}`, '--label', 'keep', `${cli}-named`]);
      await docker(d, ['volume', 'create', '--label', `cli=${cli}`, `${cli}-other`]);
    }
    await fs.writeFile(`${d.dataRoot}/volumes/d-anon/_data/f`, Buffer.alloc(2048));
    await fs.writeFile(`${d.dataRoot}/volumes/b-anon/_data/f`, Buffer.alloc(2048));
  };
  await make();
  // Declined: nothing removed, docker's prompt and exit status.
  await same(d, ['volume', 'prune'], 'n\n');
  await same(d, ['volume', 'prune', '-a'], '\n');
  await mirrored(d, ['volume', 'prune', '--filter', 'label=cli={}'], 'y\n');
  await mirrored(d, ['volume', 'prune', '-f', '--filter', 'label=cli={}']);
  await mirrored(d, ['volume', 'prune', '-a', '-f', '--filter', 'label=cli={}', '--filter', 'label!=keep']);
  await mirrored(d, ['volume', 'prune', '-f', '--filter', 'all=1', '--filter', 'label=cli={}']);
  await same(d, ['volume', 'prune', '-a', '-f', '--filter', 'all=1']);
  await same(d, ['volume', 'prune', '-f', '--filter', 'bogus=1']);
  assert.equal((await docker(d, ['volume', 'ls', '-q'])).stdout, '');
});

test('system df and system prune --volumes count and remove volumes as docker shows them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  await docker(d, ['volume', 'create', 'sized']);
  await docker(d, ['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', 'uncounted']);
  await fs.writeFile(`${d.dataRoot}/volumes/sized/_data/f`, Buffer.alloc(5000));
  await same(d, ['system', 'df']);
  await same(d, ['system', 'df', '-v']);
  await same(d, ['system', 'df', '--format', '{{.Type}} {{.TotalCount}} {{.Size}} {{.Reclaimable}}']);
  await same(d, ['system', 'prune', '--volumes'], 'n\n');
  // Each CLI prunes the same anonymous volume, made again for the second.
  const results: CliResult[] = [];
  for (const cli of [docker, berth]) {
    await docker(d, ['volume', 'create', '--label', 'com.docker.volume.anonymous=', 'anon']);
    await fs.writeFile(`${d.dataRoot}/volumes/anon/_data/f`, Buffer.alloc(3000));
    results.push(await cli(d, ['system', 'prune', '-f', '--volumes']));
  }
  assert.deepEqual(results[1], results[0]);
  assert.equal(results[0]!.stdout, 'Deleted Volumes:\nanon\n\nTotal reclaimed space: 3kB\n');
  await same(d, ['system', 'prune', '-f', '--volumes', '--filter', 'until=1h']);
  assert.equal((await docker(d, ['volume', 'ls', '-q'])).stdout, 'sized\nuncounted\n');
});
