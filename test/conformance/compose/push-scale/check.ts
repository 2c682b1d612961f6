import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startRegistry } from '../../../helpers/registry.ts';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const p = c.project;
  // The registry is stopped (and its directory removed) when the check ends.
  const cleanups: (() => Promise<void>)[] = [];
  const reg = await startRegistry({ after: (fn: () => Promise<void>) => cleanups.push(fn) } as unknown as TestContext);
  const env = { REGISTRY: reg.host };
  const images = [`${reg.host}/cverbs/app:v1`, `${reg.host}/cverbs/app:extra`];
  try {
    const ok = async (args: string[]) => {
      const r = await c.compose(args, env);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    await ok(['up', '-d']);

    // push: app's image and its build tag; ticker and worker have no build: skipped.
    const pushed = await ok(['push']);
    assert.match(pushed.stderr, /^ ticker Skipped $/m);
    assert.match(pushed.stderr, /^ worker Skipped $/m);
    for (const image of images) assert.match(pushed.stderr, new RegExp(`^ Pushing ${image}: [0-9a-f]{12} (Pushed|Layer already exists) $`, 'm'));
    const tags = await reg.get('/v2/cverbs/app/tags/list');
    assert.deepEqual(JSON.parse(tags.text).tags.sort(), ['extra', 'v1']);
    assert.equal((await ok(['push', '-q', 'app'])).stderr, '');
    // A failing push fails the command, unless --ignore-push-failures.
    const failed = await c.compose(['--profile', 'broken', 'push', 'broken'], env);
    assert.notEqual(failed.code, 0);
    const ignored = await c.compose(['--profile', 'broken', 'push', '--ignore-push-failures'], env);
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.match(ignored.stderr, /^Pushing broken: .+$/m);
    assert.match(ignored.stderr, new RegExp(`^ Pushing ${images[0]}: [0-9a-f]{12} Layer already exists $`, 'm'));

    // scale: up to three workers, then down to one (the highest numbers go).
    await ok(['scale', 'worker=3']);
    const workers = async () => (await c.containers()).filter((x) => x.Labels['com.docker.compose.service'] === 'worker').map((x) => `${x.Names[0]}:${x.State}`).sort();
    assert.deepEqual(await workers(), [`/${p}-worker-1:running`, `/${p}-worker-2:running`, `/${p}-worker-3:running`]);
    await ok(['scale', 'worker=1']);
    assert.deepEqual(await workers(), [`/${p}-worker-1:running`]);
    const bad = await c.compose(['scale', 'worker'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid scale specifier: worker/);

    // stats: the project's running containers only.
    const st = await ok(['stats', '--no-stream']);
    const [header, ...rows] = st.stdout.trimEnd().split('\n');
    assert.match(header!, /^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS$/);
    assert.deepEqual(rows.map((r) => r.split(/ +/)[1]).sort(), [`${p}-app-1`, `${p}-ticker-1`, `${p}-worker-1`]);
    assert.equal((await ok(['stats', '--no-stream', '--format', '{{.Name}}', 'worker'])).stdout, `${p}-worker-1\n`);

    // attach: the container's output until it stops; its exit code.
    const attached = c.compose(['attach', '--no-stdin', 'ticker'], env);
    await new Promise((r) => setTimeout(r, 2500));
    await ok(['kill', 'ticker']);
    const a = await attached;
    assert.equal(a.code, 137, a.stderr);
    assert.match(a.stdout, /^tick \d+$/m);
    const none = await c.compose(['attach', '--index', '4', 'worker'], env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /service "worker" is not running container #4/);
  } finally {
    for (const image of images) await c.daemon.api('DELETE', `/images/${encodeURIComponent(image)}`);
    for (const fn of cleanups) await fn();
  }
};
