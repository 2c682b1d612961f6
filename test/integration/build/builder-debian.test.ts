/**
 * A realistic build through the real `docker build` (classic builder API)
 * against berthd: FROM the bootstrapped debian:bookworm, apt-get
 * installing curl from the Debian archive on the default bridge, an app
 * copied in; the image runs. A rebuild runs nothing; a changed app file
 * re-runs from its COPY only. Skipped, saying why, when the mirror does not
 * answer (the .debs are cached in BERTH_BOOTSTRAP_CACHE as the bootstrap
 * test does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { docker, requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { DEBIAN_CACHE, mirrorUnreachable } from '../../helpers/debian-mirror.ts';

const CACHE = DEBIAN_CACHE;

test('docker build: debian:bookworm, apt-get install curl, COPY an app, run it; cached and one-file rebuilds', { timeout: 900_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const why = await mirrorUnreachable();
  if (why) {
    t.skip(why);
    return;
  }
  process.env.BERTH_BOOTSTRAP_CACHE = CACHE;
  const d = await startDaemon(t);
  const boot = await d.api('POST', '/images/bootstrap?name=debian:bookworm');
  assert.equal(boot.status, 200, boot.text);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-build-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(path.join(dir, 'app'));
  await fs.writeFile(path.join(dir, 'app/run.sh'), 'echo app v1; curl --version | head -c 9; echo\n');
  await fs.writeFile(
    path.join(dir, 'Dockerfile'),
    'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nCOPY app /app\nCMD ["sh", "/app/run.sh"]\n',
  );
  const env = { ...process.env, DOCKER_BUILDKIT: '0' };
  const build = () => docker(d, ['build', '-t', 'debapp', dir], { env, timeoutMs: 600_000 });

  const first = await build();
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.match(first.stdout, /^Sending build context to Docker daemon {2}[\d.]+kB\r+\n/);
  assert.match(first.stdout, /Step 2\/4 : RUN apt-get update[^\n]*\n ---> Running in [0-9a-f]{12}\n[^]*Setting up curl[^]*Removing intermediate container [0-9a-f]{12}\n/);
  assert.match(first.stdout, /Successfully built [0-9a-f]{12}\nSuccessfully tagged debapp:latest\n$/);
  const ran = await docker(d, ['run', '--rm', 'debapp']);
  assert.equal(ran.stdout, 'app v1\ncurl 7.88\n');

  const again = await build();
  assert.equal(again.code, 0);
  assert.doesNotMatch(again.stdout, /Running in/);
  assert.equal(again.stdout.match(/ ---> Using cache\n/g)?.length, 3);

  await fs.writeFile(path.join(dir, 'app/run.sh'), 'echo app v2\n');
  const changed = await build();
  assert.equal(changed.code, 0);
  assert.match(changed.stdout, /Step 2\/4 : RUN [^\n]*\n ---> Using cache\n/);
  assert.match(changed.stdout, /Step 3\/4 : COPY app \/app\n ---> [0-9a-f]{12}\n/, 'the COPY runs again');
  assert.equal((await docker(d, ['run', '--rm', 'debapp'])).stdout, 'app v2\n');
});
