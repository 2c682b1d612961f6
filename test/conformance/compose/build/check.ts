import assert from 'node:assert/strict';
import { fetchText } from '../../../helpers/net-check.ts';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, '');
  const page = await fetchText('127.0.0.1', c.port);
  assert.match(page, /compose build/);
  assert.match(page, /built-by-compose/);
  const img = await c.daemon.api('GET', `/images/${c.project}-web/json`);
  assert.equal(img.status, 200);
  // The built image's ID is the container's com.docker.compose.image.
  const [web] = await c.containers();
  assert.equal(web?.Labels['com.docker.compose.image'], img.body.Id);
  // Unchanged on a second up; --build rebuilds (cached: same image) and leaves it running.
  const again = await c.compose(['up', '-d', '--build']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(` Container ${c.project}-web-1  Running\n`));
  const down = await c.compose(['down', '--rmi', 'local', '-t', '1']);
  assert.equal(down.code, 0, down.stderr);
  assert.equal((await c.daemon.api('GET', `/images/${c.project}-web/json`)).status, 404);
};
