/**
 * Large context files (held in memory by berthd until a step needs them,
 * engine/build/context-tar.ts): what COPY, ADD of a local archive and a RUN
 * bind mount of the context see is the file as sent (content, mode,
 * mtime), in a cold build and after a change that only a held file's
 * digest shows; a fully cached rebuild reuses every step.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';
import { requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { assertNoMounts, buildOk, dockerCli, makeDir, runIn } from './cli-helpers.ts';

const MiB = 1024 * 1024;

async function tarOf(name: string, content: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name, mode: 0o640 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

test('large context files reach COPY, ADD and RUN --mount as sent; a change in one re-runs its COPY', { timeout: 240_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const big = Buffer.alloc(3 * MiB, 'a');
  const ctx = makeDir(t, {
    Dockerfile: [
      'FROM busybox',
      'COPY big.bin /big.bin',
      'ADD arch.tar /unpacked/',
      'RUN --mount=type=bind,source=other.bin,target=/m wc -c < /m > /mounted',
      'RUN stat -c "%a %s %Y" /big.bin > /meta && md5sum /big.bin /unpacked/inside.bin | cut -d" " -f1 > /sums',
      '',
    ].join('\n'),
    'big.bin': { content: big.toString(), mode: 0o750 },
    'other.bin': 'o'.repeat(2 * MiB),
  });
  writeFileSync(path.join(ctx, 'arch.tar'), await tarOf('inside.bin', Buffer.alloc(2 * MiB, 'z')));
  utimesSync(path.join(ctx, 'big.bin'), 1_700_000_000, 1_700_000_000);
  await buildOk(d, ['-q', '-t', 'large:1', ctx]);
  const md5 = async (b: Buffer) => (await import('node:crypto')).createHash('md5').update(b).digest('hex');
  assert.equal(await runIn(d, 'large:1', ['cat', '/meta']), `750 ${3 * MiB} 1700000000\n`);
  assert.equal(await runIn(d, 'large:1', ['cat', '/sums']), `${await md5(big)}\n${await md5(Buffer.alloc(2 * MiB, 'z'))}\n`);
  assert.equal((await runIn(d, 'large:1', ['cat', '/mounted'])).trim(), String(2 * MiB));

  // Fully cached, through the docker CLI as well.
  const cached = await dockerCli(d, ['build', '-t', 'large:1', ctx], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  assert.equal(cached.code, 0, cached.stderr);
  assert.equal(cached.stdout.match(/Using cache/g)?.length, 4, cached.stdout);

  // One byte of the held file changed (same size, same mtime): its COPY and what follows run again.
  const changed = Buffer.from(big);
  changed[MiB + 7] = 'b'.charCodeAt(0);
  writeFileSync(path.join(ctx, 'big.bin'), changed);
  utimesSync(path.join(ctx, 'big.bin'), 1_700_000_000, 1_700_000_000);
  const again = await buildOk(d, ['-t', 'large:2', ctx]);
  assert.equal(again.stdout.match(/Using cache/g)?.length ?? 0, 0, again.stdout);
  assert.equal((await runIn(d, 'large:2', ['cat', '/sums'])).split('\n')[0], await md5(changed));
  await assertNoMounts(d);
});
