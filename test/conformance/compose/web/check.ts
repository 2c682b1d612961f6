import assert from 'node:assert/strict';
import { fetchText } from '../../../helpers/net-check.ts';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, '');
  assert.match(up.stderr, new RegExp(`^ Network ${c.project}_default  Creating\n Network ${c.project}_default  Created\n Container ${c.project}-site  Creating\n Container ${c.project}-site  Created\n Container ${c.project}-site  Starting\n Container ${c.project}-site  Started\n$`));
  assert.match(await fetchText('127.0.0.1', c.port), /berth compose web/);
  const [web] = await c.containers();
  assert.equal(web?.Names[0], `/${c.project}-site`);
  const info = (await c.daemon.api('GET', `/containers/${web!.Id}/json`)).body;
  assert.deepEqual(info.HostConfig.RestartPolicy, { Name: 'unless-stopped', MaximumRetryCount: 0 });
  assert.equal(info.Config.Labels['com.docker.compose.service'], 'web');
  assert.equal(info.Config.Labels['com.docker.compose.container-number'], '1');
  const ps = await c.compose(['ps']);
  assert.equal(ps.code, 0, ps.stderr);
  const lines = ps.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS$/);
  assert.match(lines[1]!, new RegExp(`^${c.project}-site +(busybox|busybox-ref) +"httpd -f -p 80 -h /…" +web +.* +Up .* +0\\.0\\.0\\.0:${c.port}->80/tcp`));
  // Unchanged: `up -d` again leaves it running.
  const again = await c.compose(['up', '-d']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stderr, ` Container ${c.project}-site  Running\n`);
  assert.equal((await c.containers())[0]?.Id, web!.Id);
  // restart: unless-stopped brings it back after a daemon restart (not the shared reference engine's).
  if (c.reference) return;
  await c.daemon.stop();
  await c.daemon.restart();
  assert.match(await fetchText('127.0.0.1', c.port, 100), /berth compose web/);
  const after = await c.compose(['ps', '--format', 'json']);
  assert.equal(JSON.parse(after.stdout).State, 'running');
};
