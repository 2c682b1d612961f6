/**
 * Multi-stage builds (only what the target needs, independent stages at
 * once, output in stage order, nothing leaking from a builder stage) and
 * RUN's --mount types and --network, with secrets absent from every layer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ChainId } from '../../../src/oci/digest.ts';
import { chainIds } from '../../../src/oci/digest.ts';
import { requireRoot } from '../../helpers/daemon.ts';
import { openBuilder, type BuilderFixture } from './builder-helpers.ts';

const MULTI = `FROM busybox AS builder
RUN echo secret > /builder-only && echo artifact > /artifact
FROM busybox AS unused
RUN echo never-run
FROM scratch AS other
COPY --from=builder /artifact /from-name
FROM busybox
COPY --from=builder /artifact /a1
COPY --from=0 /artifact /a2
COPY --from=other /from-name /a3
RUN test ! -e /builder-only && cat /a1 /a2 /a3
`;

test('multi-stage: only the needed stages run, in stage order; only what COPY --from takes reaches the image; --target', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const dir = await b.context({ Dockerfile: MULTI });
  const { id, output, events } = await b.build(dir);
  const steps = [...output.matchAll(/^Step (\d+)\/11 : /gm)].map((m) => Number(m[1]));
  assert.deepEqual(steps, [1, 2, 5, 6, 7, 8, 9, 10, 11], 'stage "unused" (steps 3-4) is skipped, the rest in file order');
  assert.doesNotMatch(output, /never-run/);
  assert.match(output, /artifact\nartifact\nartifact\n/);
  assert.equal(events.filter((e) => e.kind === 'built').length, 3, 'an aux ID per stage built, as dockerd');
  assert.equal((await b.run(id, ['ls', '/'])).stdout.includes('builder-only'), false);

  const target = await b.build(dir, { target: 'builder' });
  assert.match(target.output, /^Step 1\/2 : FROM busybox AS builder\n/);
  assert.equal((await b.run(target.id, ['cat', '/builder-only'])).stdout, 'secret\n');
  await assert.rejects(b.build(dir, { target: 'nope' }), (err: Error & { output?: string }) => {
    assert.equal(err.message, 'failed to reach build target nope in Dockerfile');
    assert.equal(err.output, '', 'before any output');
    return true;
  });
});

test('independent stages run at the same time, and their output still comes in stage order', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const df = `FROM busybox AS a
RUN sleep 1; echo from-a > /a
FROM busybox AS b
RUN sleep 1; echo from-b > /b
FROM busybox
COPY --from=a /a /a
COPY --from=b /b /b
`;
  let most = 0;
  let watching = true;
  const watch = (async () => {
    while (watching) {
      most = Math.max(most, b.engine.containers.store.all().filter((c) => c.state.status === 'running').length);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const { output } = await b.build(await b.context({ Dockerfile: df }));
  watching = false;
  await watch;
  assert.equal(most, 2, 'both RUN steps ran at once');
  assert.match(output, /^Step 1\/7 : FROM busybox AS a\n[^]*Step 2\/7 : RUN[^]*Step 3\/7 : FROM busybox AS b\n[^]*Step 4\/7 : RUN[^]*Step 5\/7/);
});

/** Every file of every layer of an image, searched for `needle`; and the paths of the layers' entries. */
async function layerFiles(b: BuilderFixture, imageId: string): Promise<{ paths: string[]; contains(needle: string): Promise<boolean> }> {
  const image = b.engine.images.get(imageId)!;
  const dirs = chainIds(image.config.rootfs.diff_ids).map((c) => b.engine.layers.diffDir(c as ChainId));
  const files: string[] = [];
  const paths: string[] = [];
  for (const dir of dirs) {
    for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
      const full = path.join(entry.parentPath, entry.name);
      paths.push(path.relative(dir, full));
      if (entry.isFile()) files.push(full);
    }
  }
  return {
    paths,
    async contains(needle) {
      for (const f of files) if ((await fs.readFile(f)).includes(needle)) return true;
      return false;
    },
  };
}

test('RUN --mount: cache dirs persist across builds, secrets and mount points stay out of every layer, binds from the context and stages, tmpfs, --network=none', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const df = `FROM busybox AS st
RUN echo made-in-stage > /made
FROM busybox
RUN --mount=type=cache,target=/var/cache/thing echo "$(cat /var/cache/thing/n 2>/dev/null)x" > /var/cache/thing/n; cp /var/cache/thing/n /seen
RUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /len
RUN --mount=type=secret,id=tok,target=/etc/tok,mode=0444,uid=65534 test "$(wc -c < /etc/tok)" = 12 && stat -c '%a %u' /etc/tok > /tokmode
RUN --mount=type=bind,source=data,target=/data cat /data/x > /fromctx
RUN --mount=type=bind,from=st,source=/made,target=/m cat /m > /fromstage
RUN --mount=type=tmpfs,target=/scratchpad touch /scratchpad/y && ls /scratchpad > /tmpls
RUN --network=none cat /proc/net/dev | grep -c : > /links
RUN --mount=type=secret,id=tok,env=TOK test "$(echo "$TOK" | wc -c)" = 13 && test ! -e /run/secrets/tok && echo env-ok > /envok
`;
  const dir = await b.context({ Dockerfile: df, 'data/x': 'context-data\n' });
  const secrets = new Map([['tok', Buffer.from('s3cr3t-value')]]);
  const first = await b.build(dir, { secrets });
  const r = await b.run(first.id, ['cat', '/seen', '/len', '/tokmode', '/fromctx', '/fromstage', '/tmpls', '/links', '/envok']);
  assert.equal(r.stdout, 'x\n12\n444 65534\ncontext-data\nmade-in-stage\ny\n1\nenv-ok\n');
  assert.ok(!JSON.stringify(b.engine.images.inspect(first.id)).includes('s3cr3t'), 'nor in the config');
  assert.ok(!JSON.stringify(b.engine.images.history(first.id)).includes('s3cr3t'), 'nor in the history');
  const second = await b.build(dir, { secrets, noCache: true });
  assert.equal((await b.run(second.id, ['cat', '/seen'])).stdout, 'xx\n', 'the cache mount kept what the first build wrote');

  for (const id of [first.id, second.id]) {
    const layers = await layerFiles(b, id);
    assert.equal(await layers.contains('s3cr3t-value'), false, 'the secret is in no layer');
    for (const gone of ['run', 'run/secrets', 'etc/tok', 'var/cache/thing', 'data', 'm', 'scratchpad']) {
      assert.ok(!layers.paths.includes(gone), `${gone} is not in any layer`);
    }
  }
  await assert.rejects(b.build(await b.context({ Dockerfile: 'FROM busybox\nRUN --mount=type=secret,id=missing,required cat /run/secrets/missing\n' })), /secret missing: not found/);
});

test('FROM an image that is not local pulls it with the request\'s credentials; pull refreshes it', async (t) => {
  if (!requireRoot(t)) return;
  const b = await openBuilder(t);
  const { startRegistry } = await import('../../helpers/registry.ts');
  const reg = await startRegistry(t, { auth: { user: 'u', pass: 'p' } });
  const auth = { username: 'u', password: 'p', serveraddress: reg.host };
  await b.engine.images.tag('busybox', `${reg.host}/lib/bb`, 'v1');
  await b.engine.images.push(`${reg.host}/lib/bb`, 'v1', auth, () => undefined);
  await b.engine.images.removeReference(`${reg.host}/lib/bb:v1`);
  const dir = await b.context({ Dockerfile: `FROM ${reg.host}/lib/bb:v1\nRUN echo pulled > /p\n` });
  await assert.rejects(b.build(dir), /no basic auth credentials|unauthorized|authentication required/i);
  const pulled = await b.build(dir, { registryAuth: { [reg.host]: auth } });
  const statuses = pulled.events.filter((e) => e.kind === 'status').map((e) => (e as { message: string }).message);
  assert.ok(statuses.includes('Pulling from lib/bb'), statuses.join('|'));
  assert.ok(statuses.some((s) => s.startsWith('Status: ')), statuses.join('|'));
  assert.equal((await b.run(pulled.id, ['cat', '/p'])).stdout, 'pulled\n');
  const local = await b.build(dir);
  assert.equal(local.events.filter((e) => e.kind === 'status').length, 0, 'a local image is not pulled again');
  const refreshed = await b.build(dir, { pull: true, registryAuth: { [reg.host]: auth } });
  assert.ok(refreshed.events.some((e) => e.kind === 'status' && e.message.startsWith('Status: Image is up to date')));
  assert.equal(refreshed.id, local.id);
});
