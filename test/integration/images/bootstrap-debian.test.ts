/**
 * `berth image bootstrap debian:bookworm-slim`: a real Debian image from the
 * Debian archive this host's apt uses, built by mmdebstrap, then apt-get
 * inside a container on the default bridge. The .debs and the last root
 * filesystem are cached in a directory shared by runs (BERTH_BOOTSTRAP_CACHE):
 * the first run on a machine downloads ~30 MB and runs mmdebstrap; later ones
 * run it again only when the archive's Release files changed. Skipped, saying
 * why, only when the mirror does not answer.
 */
import http from 'node:http';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { BERTH, docker, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';
import { DEBIAN_CACHE, mirrorUnreachable } from '../../helpers/debian-mirror.ts';
import { assertNoMounts } from '../volumes/helpers.ts';
import { freePort } from '../../helpers/net-check.ts';

const CACHE = DEBIAN_CACHE;
const IMAGE = 'debian:bookworm-slim';

test('bootstrap debian:bookworm-slim with mmdebstrap, then apt-get install in a container', { timeout: 600_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const why = await mirrorUnreachable();
  if (why) {
    t.skip(why);
    return;
  }
  process.env.BERTH_BOOTSTRAP_CACHE = CACHE; // read by the daemon started next
  const d = await startDaemon(t, { bootstrap: false });
  const berth = (args: string[], timeoutMs = 120_000) => runCli(BERTH, d, args, { timeoutMs });

  await t.test('bad names, an unknown suite and an unreachable mirror: one line, exit 1, nothing stored', async () => {
    const unknown = await berth(['image', 'bootstrap', 'debian:nosuchsuite']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Error response from daemon: cannot bootstrap debian:nosuchsuite: unknown Debian suite "nosuchsuite" \(no http\S+\/dists\/nosuchsuite\/InRelease\)\n$/);
    const closed = `http://127.0.0.1:${await freePort()}/debian`; // nothing listens there
    const refused = await berth(['image', 'bootstrap', '--mirror', closed, IMAGE]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `Error response from daemon: cannot reach the Debian mirror ${closed}: ECONNREFUSED\n`);
    const other = await berth(['image', 'bootstrap', 'ubuntu:noble']);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /cannot bootstrap ubuntu:noble: only busybox and debian\[:SUITE\[-slim\]\] are supported\n$/);
    // A mirror that answers the probe but whose archive apt rejects: mmdebstrap fails, its words shown, nothing kept.
    const port = await freePort();
    const fake = http.createServer((req, res) => {
      if (req.url === '/debian/dists/bookworm/InRelease') res.end('Origin: Debian\nDate: Sat, 10 May 2025 09:04:39 UTC\n');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => fake.listen(port, '127.0.0.1', resolve));
    t.after(() => fake.close());
    const broken = await berth(['image', 'bootstrap', '--mirror', `http://127.0.0.1:${port}/debian`, IMAGE]);
    fake.close();
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /^Error response from daemon: cannot bootstrap debian:bookworm-slim: mmdebstrap failed \(exit \d+\): .*E: .*\n$/);
    assert.equal(broken.stderr.split('\n').length, 2, 'one line');
    assert.match(broken.stdout, /^Checking http:\/\/127\.0\.0\.1:\d+\/debian for bookworm\nRunning mmdebstrap .*\n(.*\n)*.*E: /, "mmdebstrap's output on failure");
    assert.equal((await d.api('GET', '/images/json')).body.length, 0);
    assert.deepEqual(readdirSync(`${d.dataRoot}/layers`).filter((n) => !n.endsWith('.json')), []);
  });

  const started = Date.now();
  const boot = await berth(['image', 'bootstrap', IMAGE], 300_000);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  t.diagnostic(`bootstrap ${IMAGE}: ${seconds} s`);
  assert.equal(boot.code, 0, boot.stderr + boot.stdout);
  const lines = boot.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^Checking http\S+ for bookworm$/);
  assert.match(
    lines[1]!,
    /^(Running mmdebstrap [\d.]+ --variant=minbase \(slim\) for bookworm \(\d+ packages cached in \/var\/cache\/berth-test\/debian\/archives\)|Using the root filesystem built from the same Release files \(\/var\/cache\/berth-test\/debian\/rootfs\/bookworm_slim_[0-9a-f]{16}\.[0-9a-f]{64}\.tar\))$/,
  );
  t.diagnostic(lines[1]!);
  assert.match(lines[2]!, /^Root filesystem: [\d.]+ MB, layer sha256:[0-9a-f]{64}$/);
  assert.equal(lines[3], `Bootstrapped image: ${IMAGE}`);
  assert.match(lines[4]!, /^sha256:[0-9a-f]{64}$/);
  assert.equal(lines.length, 5, 'no mmdebstrap output without --debug');
  assert.ok(readdirSync(`${CACHE}/archives`).some((f) => f.endsWith('.deb')), 'the .debs are kept for the next run');
  assert.equal(readdirSync(`${CACHE}/rootfs`).filter((f) => f.startsWith('bookworm_slim_')).length, 1, 'the last root filesystem is kept');

  await t.test('the image is shaped as Docker\'s debian image, its provenance in labels and history', async () => {
    const inspect = (await d.api('GET', `/images/${IMAGE}/json`)).body;
    assert.equal(inspect.Id, lines[4]);
    assert.equal(inspect.Architecture, 'amd64');
    assert.equal(inspect.Os, 'linux');
    assert.deepEqual(inspect.Config.Cmd, ['bash']);
    assert.deepEqual(inspect.Config.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    assert.equal(inspect.RootFS.Layers.length, 1);
    const labels = inspect.Config.Labels as Record<string, string>;
    assert.match(labels['io.berth.bootstrap.mirror']!, /^https?:\/\/\S+\/debian$/);
    assert.equal(labels['org.opencontainers.image.source'], labels['io.berth.bootstrap.mirror']);
    assert.equal(labels['io.berth.bootstrap.suite'], 'bookworm');
    assert.equal(labels['io.berth.bootstrap.variant'], 'minbase, slim');
    assert.match(labels['io.berth.bootstrap.tool']!, /^mmdebstrap \d/);
    assert.match(labels['io.berth.bootstrap.snapshot']!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(inspect.Created, labels['io.berth.bootstrap.snapshot']);
    const history = (await d.api('GET', `/images/${IMAGE}/history`)).body as Array<{ CreatedBy: string }>;
    assert.equal(history.length, 2);
    assert.equal(history[0]!.CreatedBy, '/bin/sh -c #(nop)  CMD ["bash"]');
    assert.match(history[1]!.CreatedBy, /^berth image bootstrap debian:bookworm-slim: mmdebstrap \S+ --variant=minbase \(slim dpkg filters\) bookworm from http\S+ \(Release of \S+\)$/);
  });

  await t.test('the docker CLI runs it: Debian 12, no docs, apt configured as Docker\'s', async () => {
    const r = await docker(d, ['run', '--rm', IMAGE, 'sh', '-c', 'cat /etc/debian_version; ls /usr/share/man 2>&1 | wc -l; cat /etc/apt/apt.conf.d/docker-no-languages; ls /var/cache/apt/archives /var/lib/apt/lists | grep -c deb; test -L /bin && echo merged']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^12\.\d+\n0\nAcquire::Languages "none";\n0\nmerged\n$/);
  });

  await t.test('apt-get update and install on the default bridge (DNS and NAT through the daemon\'s bridge)', async () => {
    const r = await berth(['run', '--rm', IMAGE, 'sh', '-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends hello >/dev/null && hello'], 240_000);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Hello, world!\n$/);
  });

  await t.test('a second bootstrap of the same mirror state is the same image (reproducible, cached)', async () => {
    const again = Date.now();
    const r = await berth(['image', 'bootstrap', IMAGE], 300_000);
    t.diagnostic(`second bootstrap ${IMAGE}: ${((Date.now() - again) / 1000).toFixed(1)} s`);
    assert.equal(r.code, 0, r.stderr);
    const second = r.stdout.trimEnd().split('\n');
    assert.match(second[1]!, /^Using the root filesystem built from the same Release files/);
    assert.equal(second.at(-1), lines[4]);
    const quiet = await berth(['image', 'bootstrap', '-q', IMAGE], 300_000);
    assert.equal(quiet.stdout, `${lines[4]}\n`);
  });

  assert.equal((await d.api('GET', '/containers/json?all=1')).body.length, 0);
  assertNoMounts(d.dataRoot);
  assert.ok(existsSync(CACHE));
});
