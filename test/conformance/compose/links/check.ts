import assert from 'node:assert/strict';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const p = c.project;
  const up = await c.compose(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  // backend comes first: links are dependencies.
  const lines = up.stderr.split('\n');
  assert.ok(lines.indexOf(` Container ${p}-web-1  Created`) > lines.indexOf(` Container ${p}-backend-1  Created`), up.stderr);
  const inspect = async (svc: string) => {
    const id = (await c.containers()).find((x) => x.Names[0] === `/${p}-${svc}-1`)!.Id;
    return (await c.daemon.api('GET', `/containers/${id}/json`)).body;
  };
  const web = await inspect('web');
  // Compose's links: the container under the alias, under <svc>-<n> and <project>-<svc>-<n>, on the endpoint.
  const backendName = `${p}-backend-1`;
  assert.deepEqual(web.NetworkSettings.Networks[`${p}_default`].Links, [`${backendName}:db`, `${backendName}:backend-1`, `${backendName}:${p}-backend-1`]);
  // On a user-defined network HostConfig.Links shows nothing (dockerd keeps them on the endpoint).
  assert.equal(web.HostConfig.Links, null);
  const backend = await inspect('backend');
  const backendIp = backend.NetworkSettings.Networks[`${p}_default`].IPAddress as string;
  for (const name of ['db', 'backend-1']) {
    const r = await c.compose(['exec', '-T', 'web', 'nslookup', name]);
    assert.equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Address: ${backendIp.replaceAll('.', '\\.')}\\n`), `${name}: ${r.stdout}`);
  }
  // Restart policies: Compose sends Go's zero value when `restart` is unset, which dockerd 25+ stores
  // as "no" (the reference, dockerd 20.10, keeps ""); "no" and on-failure:2 as given.
  assert.deepEqual(web.HostConfig.RestartPolicy, { Name: c.reference ? '' : 'no', MaximumRetryCount: 0 });
  assert.deepEqual(backend.HostConfig.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
  assert.deepEqual((await inspect('retry')).HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
};
