import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { BERTH, runCli } from '../../../helpers/daemon.ts';
import { startRegistry } from '../../../helpers/registry.ts';
import type { Check } from '../harness.ts';

export const check: Check = async (c) => {
  const p = c.project;
  const cleanups: (() => Promise<void>)[] = [];
  const reg = await startRegistry({ after: (fn: () => Promise<void>) => cleanups.push(fn) } as unknown as TestContext);
  const env = { REGISTRY: reg.host };
  const pulledImage = `${reg.host}/cverbs/bb:v1`;
  const dropped: string[] = [];
  const run = (args: string[]) => c.compose(args, env);
  const ok = async (args: string[]) => {
    const r = await run(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const fails = async (args: string[], message: string) => {
    const r = await run(args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(message), `${args.join(' ')}: ${r.stderr}`);
  };
  try {
    // --no-start: created, not started.
    const created = await ok(['up', '--no-start']);
    assert.equal(created.stdout, '');
    assert.deepEqual((await c.containers()).map((x) => x.State), ['created', 'created', 'created']);
    await ok(['down', '-t', '1']);

    // Attached: web's logs only (db left out, hush has attach: false); up returns once web has exited.
    const a = await ok(['up', '--no-attach', 'db']);
    assert.match(a.stdout, /^Attaching to web-1\n/);
    assert.match(a.stdout, /^web-1  \| web-line$/m);
    assert.match(a.stdout, /^web-1 exited with code 0$/m);
    assert.doesNotMatch(a.stdout, /db-line|hush-line/);
    await ok(['down', '-t', '1']);
    // --attach names a service (even one with attach: false); --no-log-prefix prints bare lines.
    const b = await ok(['up', '--attach', 'hush', '--no-log-prefix']);
    assert.match(b.stdout, /^Attaching to hush-1\n/);
    assert.match(b.stdout, /^hush-line$/m);
    assert.doesNotMatch(b.stdout, /web-line|db-line/);
    await ok(['down', '-t', '1']);
    const t = await ok(['up', '--timestamps', '--attach', 'web']);
    assert.match(t.stdout, /^web-1  \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z web-line$/m);
    await ok(['down', '-t', '1']);
    await fails(['up', '--attach', 'nope'], 'cannot attach to services not included in up: nope');
    await fails(['up', '-d', '--attach', 'web'], '--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch');
    await fails(['up', '-V', '--no-recreate'], '--no-recreate and --renew-anon-volumes are incompatible');
    await fails(['up', '--always-recreate-deps', '--no-recreate'], '--always-recreate-deps and --no-recreate are incompatible');

    // -V: a recreated container gets a new anonymous volume; without it, it keeps the old one.
    await ok(['--profile', 'long', 'up', '-d', 'app']);
    const volumeOf = async () => {
      const id = (await c.containers()).find((x) => x.Names[0] === `/${p}-store-1`)!.Id;
      return ((await c.daemon.api('GET', `/containers/${id}/json`)).body.Mounts as { Destination: string; Name: string }[]).find((m) => m.Destination === '/data')!.Name;
    };
    const first = await volumeOf();
    const forced = await ok(['--profile', 'long', 'up', '-d', '--force-recreate', 'store']);
    assert.match(forced.stderr, new RegExp(`^ Container ${p}-store-1  Recreated$`, 'm'));
    assert.equal(await volumeOf(), first);
    const renewed = await ok(['--profile', 'long', 'up', '-d', '-V', 'store']);
    assert.match(renewed.stderr, new RegExp(`^ Container ${p}-store-1  Recreated$`, 'm'));
    const second = await volumeOf();
    assert.notEqual(second, first);
    // Compose leaves the old anonymous volume behind.
    assert.equal((await c.daemon.api('GET', `/volumes/${first}`)).status, 200);
    // A recreated container names its inherited volume, so rm -v (down -v) leaves it, as dockerd does: removed below.
    dropped.push(first, second);
    // --force-recreate app: app alone; --always-recreate-deps: its dependency store too.
    const onlyApp = await ok(['--profile', 'long', 'up', '-d', '--force-recreate', 'app']);
    assert.match(onlyApp.stderr, new RegExp(`^ Container ${p}-app-1  Recreated$`, 'm'));
    assert.doesNotMatch(onlyApp.stderr, new RegExp(`${p}-store-1  Recreate`));
    const deps = await ok(['--profile', 'long', 'up', '-d', '--always-recreate-deps', 'app']);
    assert.match(deps.stderr, new RegExp(`^ Container ${p}-store-1  Recreated$`, 'm'));
    assert.match(deps.stderr, new RegExp(`^ Container ${p}-app-1  Running$`, 'm'));
    assert.equal(await volumeOf(), second);

    // --progress: json lines, quiet, and Compose's errors.
    const json = await ok(['--progress', 'json', '--profile', 'long', 'up', '-d', '--force-recreate', 'app']);
    const events = json.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(events.find((e) => e['id'] === `Container ${p}-app-1` && e['status'] === 'Recreated'), { id: `Container ${p}-app-1`, status: 'Recreated' });
    assert.equal((await ok(['--progress', 'quiet', '--profile', 'long', 'up', '-d', '--force-recreate', 'app'])).stderr, '');
    await fails(['--progress', 'bogus', 'up', '-d'], 'unsupported --progress value "bogus"');
    await fails(['--ansi', 'never', '--progress', 'tty', 'up', '-d'], "can't use --progress tty while ANSI support is disabled");

    // --pull: an image only the registry has.
    // An image with a layer of its own (committed from a container), so a pull has one to download.
    const cli = (args: string[]) => runCli(BERTH, c.daemon, args);
    const box = `${p}-commit`;
    const made = await cli(['run', '--name', box, '--network', 'none', c.reference ? 'busybox-ref' : 'busybox', 'sh', '-c', 'echo layer > /own']);
    assert.equal(made.code, 0, made.stderr);
    const commit = await cli(['commit', box, pulledImage]);
    assert.equal(commit.code, 0, commit.stderr);
    assert.equal((await cli(['rm', box])).code, 0);
    const push = await cli(['push', pulledImage]);
    assert.equal(push.code, 0, push.stderr);
    assert.equal((await c.daemon.api('DELETE', `/images/${encodeURIComponent(pulledImage)}`)).status, 200);
    const never = await run(['--profile', 'pull', 'up', '-d', '--pull', 'never', 'pulled']);
    assert.notEqual(never.code, 0);
    assert.match(never.stderr, /No such image/);
    const missing = await ok(['--profile', 'pull', 'up', '-d', '--pull', 'missing', 'pulled']);
    assert.match(missing.stderr, /^ pulled Pulling $/m);
    assert.match(missing.stderr, /^ [0-9a-f]{12} Pull complete $/m);
    assert.match(missing.stderr, /^ pulled Pulled $/m);
    const present = await ok(['--profile', 'pull', 'up', '-d', '--pull', 'missing', 'pulled']);
    assert.doesNotMatch(present.stderr, /Pulling/);
    const always = await ok(['--profile', 'pull', 'up', '-d', '--pull', 'always', '--quiet-pull', 'pulled']);
    assert.match(always.stderr, /^ pulled Pulling $/m);
    assert.match(always.stderr, /^ pulled Pulled $/m);
    assert.doesNotMatch(always.stderr, /^ [0-9a-f]{12} /m);
    await fails(['up', '--pull', 'sometimes'], 'invalid --pull option "sometimes"');
  } finally {
    // The profiles' services too, before the harness's down.
    await run(['--profile', 'long', '--profile', 'pull', 'down', '-v', '-t', '1']);
    for (const v of dropped) await c.daemon.api('DELETE', `/volumes/${v}`);
    await c.daemon.api('DELETE', `/images/${encodeURIComponent(pulledImage)}`);
    for (const fn of cleanups) await fn();
  }
};
