/**
 * The build cache as users expect it: an identical rebuild runs nothing and
 * gives the same image; a changed file re-runs from its COPY on; a changed
 * build arg re-runs the RUN steps that see it; --no-cache re-runs all; the
 * cache survives a daemon restart; prune drops it with the intermediate
 * images nothing uses. Intermediate images are listed only with `-a`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { requireRoot } from '../../helpers/daemon.ts';
import { openBuilder } from './builder-helpers.ts';

const DF = `FROM busybox
ARG V=1
RUN echo run-one $V > /one
COPY a.txt /a.txt
RUN echo run-two > /two
COPY b.txt /b.txt
RUN echo run-three; cat /a.txt /b.txt > /three
`;

const ran = (output: string) => [...output.matchAll(/^(run-\w+)$/gm)].map((m) => m[1]);

test('identical rebuilds hit the cache; a change re-runs from its step on; --no-cache re-runs all; the cache survives a restart', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const dir = await b.context({ Dockerfile: DF, 'a.txt': 'a\n', 'b.txt': 'b\n', '.dockerignore': 'ignored.txt\n', 'ignored.txt': 'x' });
  const first = await b.build(dir, { tags: ['docker.io/library/cached:1'] });
  assert.deepEqual(ran(first.output), ['run-three']);
  assert.match(first.output, /run-three/);

  const again = await b.build(dir);
  assert.equal(again.id, first.id, 'the same image');
  assert.deepEqual(ran(again.output), []);
  assert.equal(again.output.match(/ ---> Using cache\n/g)?.length, 6);
  assert.doesNotMatch(again.output, /Running in/);

  await fs.writeFile(path.join(dir, 'ignored.txt'), 'changed');
  assert.equal((await b.build(dir)).id, first.id, 'an ignored file changes nothing');

  await fs.writeFile(path.join(dir, 'b.txt'), 'B\n');
  const changed = await b.build(dir);
  assert.notEqual(changed.id, first.id);
  assert.equal(changed.output.match(/ ---> Using cache\n/g)?.length, 4, 'ARG, RUN, COPY, RUN before the changed COPY');
  assert.deepEqual(ran(changed.output), ['run-three']);
  assert.equal((await b.run(changed.id, ['cat', '/three'])).stdout, 'a\nB\n');

  const arg = await b.build(dir, { buildArgs: { V: '2' } });
  assert.equal(arg.output.match(/ ---> Using cache\n/g)?.length, 1, 'only ARG: every RUN after it sees V');
  assert.match(arg.output, /\|1 V=2|---> Running in/);

  const nocache = await b.build(dir, { noCache: true });
  assert.doesNotMatch(nocache.output, /Using cache/);
  assert.deepEqual(ran(nocache.output), ['run-three']);

  // A daemon restart keeps the records: the next build runs nothing.
  await b.restart();
  const restarted = await b.build(dir);
  assert.equal(restarted.id, changed.id === nocache.id ? changed.id : restarted.id);
  assert.doesNotMatch(restarted.output, /Running in/);
  assert.equal(restarted.id, nocache.id, 'the last build of these inputs wins the cache');
});

test('intermediate images are hidden from the list, shown with all; prune removes the cache and what nothing uses', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const dir = await b.context({ Dockerfile: 'FROM busybox\nRUN echo 1 > /1\nENV A=1\nRUN echo 2 > /2\n' });
  const { id } = await b.build(dir, { tags: ['docker.io/library/pruned:1'] });
  const listed = b.engine.images.list().map((i) => i.Id);
  assert.ok(listed.includes(id));
  assert.equal(listed.length, 2, 'busybox and the result; intermediates hidden');
  assert.equal(b.engine.images.list({ all: true }).length, 4);
  const usage = await b.engine.builder.usage();
  assert.equal(usage.length, 3);
  assert.ok(usage.every((u) => u.type === 'regular' && u.shared));

  // While tagged, prune drops the records only: the images are the tagged one's ancestors.
  const kept = await b.engine.builder.prune({ all: false, filters: new Map() });
  assert.equal(kept.cachesDeleted.length, 3);
  assert.equal(b.engine.images.list({ all: true }).length, 4);
  const rebuilt = await b.build(dir, { tags: ['docker.io/library/pruned:1'] });
  assert.match(rebuilt.output, /Running in/, 'the records are gone');
  assert.equal(b.engine.images.list({ all: true }).length, 7, 'a new chain beside the old one, whose top is now dangling');
  // An untagged build's images are used by nothing: prune takes them with their records.
  const loose = await b.build(await b.context({ Dockerfile: 'FROM busybox\nRUN echo 3 > /3\nLABEL x=y\n' }));
  const before = b.engine.images.list({ all: true }).length;
  const pruned = await b.engine.builder.prune({ all: true, filters: new Map() });
  assert.equal(pruned.cachesDeleted.length, 5);
  assert.ok(pruned.spaceReclaimed > 0);
  assert.equal(b.engine.images.get(loose.id), undefined);
  assert.equal(b.engine.images.list({ all: true }).length, before - 2, 'the loose build\'s two images went, the tagged one\'s stay');
  assert.deepEqual(await b.engine.builder.usage(), []);
});

test('--cache-from: a loaded image (no parents, no records) satisfies the steps its history matches', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const dir = await b.context({ Dockerfile: 'FROM busybox\nENV A=1\nRUN echo one > /one\nCOPY a.txt /a\nCMD ["cat", "/one"]\n', 'a.txt': 'a\n' });
  const first = await b.build(dir, { tags: ['docker.io/library/shipped:1'] });
  // As if pulled on another machine: saved, removed with its intermediates and records, loaded back.
  const chunks: Buffer[] = [];
  for await (const c of b.engine.images.save(['shipped:1'])) chunks.push(c as Buffer);
  await b.engine.images.remove('shipped:1');
  await b.engine.builder.prune({ all: true, filters: new Map() });
  const { Readable } = await import('node:stream');
  await b.engine.images.load(Readable.from([Buffer.concat(chunks)]));
  assert.equal(b.engine.images.findId('shipped:1'), first.id);

  const plain = await b.build(dir, { noCache: false });
  assert.match(plain.output, /Running in/, 'without --cache-from nothing matches');
  const withFrom = await b.build(dir, { cacheFrom: ['shipped:1'] });
  assert.equal(withFrom.output.match(/ ---> Using cache\n/g)?.length, 4);
  assert.equal(withFrom.id, first.id, 'the last step is the cache-from image itself');
  assert.equal((await b.run(withFrom.id, [])).stdout, 'one\n');
});
