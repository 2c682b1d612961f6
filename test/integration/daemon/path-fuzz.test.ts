/**
 * A seeded fuzz of path traversal and odd values where a name or a path
 * reaches the daemon (issue 9, Done when): container names (`?name=`),
 * container and image references in URL paths, and `docker cp` archive
 * paths (GET/HEAD/PUT `/containers/{id}/archive?path=`, symlinks in the
 * container pointing out of its root, `..` and links in the entries of a
 * PUT body). After each request the daemon answers, no 5xx carries a
 * JS-internal message, and at the end `docker ps -a` and `inspect` exit 0
 * and NOTHING was written outside the data root: a sentinel directory a
 * traversal would reach stays as it was, and /, /etc and /tmp gain no
 * entry named by the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startDaemon, requireRoot, docker, apiRequest, type Daemon } from '../../helpers/daemon.ts';
import { buildTar, type TarSpec } from '../images/helpers.ts';
import { seededRandom } from '../../helpers/seeded-random.ts';

const random = seededRandom;

const JS_INTERNAL = /Maximum call stack|Cannot read propert|is not a function|is not iterable|undefined|Unexpected token|JSON\.parse|ERR_|EACCES|ENOENT|EEXIST|ENOTDIR|ELOOP|EINVAL|ENAMETOOLONG|null bytes|argument '/;

async function listing(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [])).sort();
}

test('a seeded fuzz of traversal in names, references and archive paths writes nothing outside the data root', async (t) => {
  if (!requireRoot(t)) return;
  const d: Daemon = await startDaemon(t);
  const marker = `berthfz${randomBytes(3).toString('hex')}`;
  // The sentinel a traversal would reach: outside the data root, holding a secret no reply may carry.
  const sentinel = `/tmp/${marker}`;
  await fs.mkdir(sentinel);
  const secret = `${marker}-secret-${randomBytes(8).toString('hex')}`;
  await fs.writeFile(`${sentinel}/secret`, secret);
  t.after(() => fs.rm(sentinel, { recursive: true, force: true }));
  const before = { root: await listing('/'), etc: await listing('/etc'), tmp: await listing('/tmp'), sentinel: await listing(sentinel) };

  // A running container whose links point out of its root, by every route a link can take.
  const run = await docker(d, ['run', '-d', '--name', 'fz', 'busybox', 'sh', '-c', [
    `ln -s ${sentinel} /abs`, `ln -s ${sentinel}/secret /abssecret`, 'ln -s ../../../../../../../.. /up',
    `ln -s /up${sentinel} /viaup`, 'mkdir -p /d && ln -s ../../../../../../tmp /d/rel', 'ln -s /loop1 /loop2 && ln -s /loop2 /loop1',
    'touch /ready', 'sleep 100000'].join('; ')]);
  assert.equal(run.code, 0, run.stderr);
  for (let i = 0; i < 100 && (await docker(d, ['exec', 'fz', 'test', '-f', '/ready'])).code !== 0; i++);

  const rnd = random(20261204);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const TRAVERSALS = [
    '..', '../..', '../../../../../../..', `../../../../../../..${sentinel}`, `../../../../../../..${sentinel}/${marker}`,
    '/etc/shadow', '../../../etc/shadow', '/abs', `/abs/${marker}`, '/abssecret', `/up${sentinel}`, `/up${sentinel}/secret`, `/viaup/${marker}`,
    '/d/rel', `/d/rel/${marker}`, '/loop1', '/loop1/x', '/./../..', '//..//..', '/%2e%2e/%2e%2e', '\u0000', `a\u0000${marker}`, '.',
    '/proc/self/root/etc/shadow', '/dev/../..', 'x'.repeat(5000), `/${'a/'.repeat(2000)}`, '\\..\\..', '~', '$HOME', '/tmp/..',
  ];
  const NAMES = [
    '..', '.', '../x', `../../${marker}`, 'a/b', `/../${marker}`, '%00', 'a\u0000b', 'x'.repeat(300), 'x'.repeat(70_000), '-x', '_x', 'é', 'a b',
    `${marker}..`, '/', '//', 'a:b', 'a@b', `${marker}/../../../../tmp/x`, '', ' ',
  ];
  const REFS = [
    '..', '../..', '..%2F..%2Fetc', '%2e%2e%2f%2e%2e%2fetc', `..%2F..%2F..%2Ftmp%2F${marker}`, 'a'.repeat(5000), '0'.repeat(64), 'f'.repeat(65),
    '%00', `fz%00${marker}`, 'sha256:', `sha256:..%2F..%2F${marker}`, 'busybox:..%2F..', 'busybox@sha256:..', `busybox:${'x'.repeat(200)}`, '%2F', '%ff%fe',
  ];
  const entry = (): TarSpec =>
    pick<() => TarSpec>([
      () => ({ name: `../../../../../../../..${sentinel}/${marker}-a`, body: 'x' }),
      () => ({ name: `a/../../../../${marker}-b`, body: 'x' }),
      () => ({ name: `/../../..${sentinel}/${marker}-c`, body: 'x' }),
      () => ({ name: `abs/${marker}-d`, body: 'x' }),
      () => ({ name: `up${sentinel}/${marker}-e`, body: 'x' }),
      () => ({ name: `d/rel/${marker}-f`, body: 'x' }),
      () => ({ name: `${marker}-g`, type: 'symlink', linkname: sentinel }),
      () => ({ name: `${marker}-h`, type: 'symlink', linkname: '../../../../../..' }),
      () => ({ name: `${marker}-h/tmp/${marker}-i`, body: 'x' }),
      () => ({ name: `${marker}-g/${marker}-j`, body: 'x' }),
      () => ({ name: `${marker}-k`, type: 'link', linkname: `../../../../..${sentinel}/secret` }),
      () => ({ name: `${marker}-l`, type: 'link', linkname: 'abssecret' }),
      () => ({ name: `${marker}-m`, type: 'directory' }),
      () => ({ name: `${marker}-m/../../../..${sentinel}/${marker}-n`, body: 'x' }),
    ])();
  const enc = encodeURIComponent;
  const requests: Array<() => Promise<[string, string, { status: number; body: any; text: string }]>> = [
    async () => {
      const p = `/containers/create?name=${enc(pick(NAMES))}`;
      return ['POST', p, await apiRequest(d.socket, 'POST', p, { Image: 'busybox', Cmd: ['true'] })];
    },
    async () => {
      const [m, suffix] = pick([['GET', '/json'], ['POST', '/start'], ['POST', '/stop?t=0'], ['DELETE', ''], ['GET', '/logs?stdout=1'], ['GET', '/top'], ['POST', `/rename?name=${enc(pick(NAMES))}`]] as const);
      const p = `/containers/${pick(REFS)}${suffix}`;
      return [m, p, await apiRequest(d.socket, m, p)];
    },
    async () => {
      const [m, suffix] = pick([['GET', '/json'], ['GET', '/history'], ['DELETE', ''], ['POST', `/tag?repo=${enc(pick(NAMES))}&tag=${enc(pick(NAMES))}`], ['GET', '/get']] as const);
      const p = `/images/${pick(REFS)}${suffix}`;
      return [m, p, await apiRequest(d.socket, m, p)];
    },
    async () => {
      const p = `/containers/fz/archive?path=${enc(pick(TRAVERSALS))}`;
      const m = pick(['GET', 'HEAD']);
      return [m, p, await apiRequest(d.socket, m, p)];
    },
    async () => {
      const p = `/containers/fz/archive?path=${enc(pick(['/', '/abs', '/up', '/viaup', '/d/rel', '/tmp', pick(TRAVERSALS)]))}${rnd() < 0.3 ? '&noOverwriteDirNonDir=1' : ''}`;
      const tarball = await buildTar(Array.from({ length: 1 + Math.floor(rnd() * 4) }, entry));
      return ['PUT', p, await apiRequest(d.socket, 'PUT', p, tarball)];
    },
  ];

  const seen = new Map<string, number>();
  const failures = new Set<string>();
  for (let i = 0; i < 250; i++) {
    const [method, p, r] = await pick(requests)();
    const kind = `${method} ${p.split('?')[0]!.replace(/^\/(\w+)\/[^/]*/, '/$1/X')} ${r.status}`;
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    if (r.status >= 500) failures.add(`${method} ${p.slice(0, 60)}: ${JSON.stringify(String(r.body?.message ?? r.text).slice(0, 140))}`);
    const what = `#${i} ${method} ${p.slice(0, 160)} → ${r.status} ${r.text.slice(0, 200)}`;
    assert.ok(r.status > 0, what);
    if (r.status >= 500) assert.doesNotMatch(String(r.body?.message ?? ''), JS_INTERNAL, what);
    assert.ok(!r.text.includes(d.dataRoot), `${what}: the reply names a host path of the data root`);
    if (r.status >= 400 && method !== 'HEAD') assert.equal(typeof r.body?.message, 'string', what);
    assert.ok(!r.text.includes(secret), `${what}: the reply carries a host file outside the container`);
    assert.deepEqual(await listing(sentinel), before.sentinel, `${what}: something was written into ${sentinel}`);
    if (i % 50 === 49) {
      assert.equal((await apiRequest(d.socket, 'GET', '/_ping')).status, 200, what);
      assert.equal((await docker(d, ['ps', '-a'])).code, 0, `docker ps -a after ${what}`);
    }
  }

  t.diagnostic(`5xx: ${[...failures].join(' | ')}`);
  t.diagnostic(`replies: ${[...seen].sort().map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  // The fuzz reached the archive code both ways: some PUTs were unpacked, some refused.
  assert.ok([...seen.keys()].some((k) => k.startsWith('PUT') && k.endsWith(' 200')), 'some archive PUTs unpacked');
  const ps = await docker(d, ['ps', '-a', '-q', '--no-trunc']);
  assert.equal(ps.code, 0, ps.stderr);
  const ids = ps.stdout.split('\n').filter(Boolean);
  const inspect = await docker(d, ['inspect', ...ids]);
  assert.equal(inspect.code, 0, inspect.stderr);
  // Nothing outside the data root: the sentinel unchanged, no new entry named by the test in /, /etc, /tmp.
  assert.deepEqual(await listing(sentinel), before.sentinel);
  assert.equal(await fs.readFile(`${sentinel}/secret`, 'utf8'), secret);
  for (const [dir, was] of [['/', before.root], ['/etc', before.etc], ['/tmp', before.tmp]] as const) {
    const added = (await listing(dir)).filter((n) => !was.includes(n) && n.includes(marker));
    assert.deepEqual(added, [], `new entries in ${dir}`);
  }
  assert.ok(!existsSync(`/${marker}-b`) && !existsSync(`/tmp/${marker}-i`));
});
