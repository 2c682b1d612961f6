/**
 * registry-mirrors beyond Docker Hub (the `HOST=URL` form, daemon.json or
 * `--registry-mirror`): the mirror is asked first; a mirror without the
 * image, or down, falls through to the registry itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER, ROOT, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';
import { freePort } from '../../helpers/net-check.ts';
import { startRegistry } from '../../helpers/registry.ts';

const ARCHIVE = `docker-archive:${ROOT}/test/fixtures/busybox-ref.tar`;

test('a mirror of any registry is tried first and falls through to the registry', async (t) => {
  if (!requireRoot(t)) return;
  const origin = await startRegistry(t);
  const mirror = await startRegistry(t);
  origin.push(ARCHIVE, 'app:only-origin');
  mirror.push(ARCHIVE, 'app:mirrored');
  const down = await freePort();
  const d = await startDaemon(t, {
    bootstrap: false,
    args: ['--registry-mirror', `${origin.host}=http://127.0.0.1:${down}`, '--registry-mirror', `${origin.host}=http://${mirror.host}`],
  });

  // Only the mirror has it: served by the mirror, under the origin's name.
  const a = await runCli(DOCKER, d, ['pull', `${origin.host}/app:mirrored`]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(origin.blobGets().length, 0);
  assert.ok(mirror.blobGets().length > 0);
  const inspect = await d.api('GET', `/images/${encodeURIComponent(`${origin.host}/app:mirrored`)}/json`);
  assert.equal(inspect.status, 200);

  // The mirror lacks it: the origin serves it.
  const b = await runCli(DOCKER, d, ['pull', `${origin.host}/app:only-origin`]);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /Status: (Downloaded newer image|Image is up to date) for /);

});
