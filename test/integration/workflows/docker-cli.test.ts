/**
 * Everyday workflows with the real docker CLI against berthd: images, import,
 * save/load (also an image saved by a real Docker engine), cp, diff, export,
 * commit, stats, events.
 */
import { execFileSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDaemon, requireRoot, docker, type Daemon } from '../../helpers/daemon.ts';
import { REFERENCE_DOCKER_HOST, referenceDockerRunning } from '../../helpers/reference-docker.ts';


test('images lists the bootstrapped busybox; inspect and history work', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const images = await docker(d, ['images', '--format', '{{.Repository}}:{{.Tag}}']);
  assert.equal(images.stdout.trim(), 'busybox:latest');
  const cmd = await docker(d, ['image', 'inspect', '-f', '{{json .Config.Cmd}} {{.Os}}', 'busybox']);
  assert.equal(cmd.stdout.trim(), '["sh"] linux');
  const hist = await docker(d, ['history', '-q', 'busybox']);
  assert.equal(hist.code, 0, hist.stderr);
  const rm = await docker(d, ['rmi', 'nosuch:image']);
  assert.equal(rm.code, 1);
  assert.match(rm.stderr, /No such image: nosuch:image/);
});

test('import, save and load round-trip through tar streams', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp('/tmp/berth-wf-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await docker(d, ['run', '--name', 'src', 'busybox', 'sh', '-c', 'echo payload > /data.txt']);
  const exp = await docker(d, ['export', '-o', `${dir}/fs.tar`, 'src']);
  assert.equal(exp.code, 0, exp.stderr);
  const imp = await docker(d, ['import', '--change', 'CMD ["cat", "/data.txt"]', `${dir}/fs.tar`, 'imported:v1']);
  assert.equal(imp.code, 0, imp.stderr);
  assert.match(imp.stdout, /^sha256:[0-9a-f]{64}\n$/);
  const out = await docker(d, ['run', '--rm', 'imported:v1']);
  assert.equal(out.stdout, 'payload\n', out.stderr);
  const save = await docker(d, ['save', '-o', `${dir}/saved.tar`, 'imported:v1']);
  assert.equal(save.code, 0, save.stderr);
  await docker(d, ['rm', '-f', 'src']);
  assert.equal((await docker(d, ['rmi', 'imported:v1'])).code, 0);
  const load = await docker(d, ['load', '-i', `${dir}/saved.tar`]);
  assert.equal(load.code, 0, load.stderr);
  assert.match(load.stdout, /Loaded image: imported:v1/);
  const again = await docker(d, ['run', '--rm', 'imported:v1']);
  assert.equal(again.stdout, 'payload\n');
});

test('import from a URL: the daemon downloads the tarball, and a failed download names the URL and status', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp('/tmp/berth-wf-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await docker(d, ['run', '--name', 'src', 'busybox', 'sh', '-c', 'echo over-http > /data.txt']);
  assert.equal((await docker(d, ['export', '-o', `${dir}/fs.tar`, 'src'])).code, 0);
  const server = http.createServer((req, res) => {
    if (req.url !== '/fs.tar') {
      res.writeHead(404, 'Not Found').end('nothing here');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    createReadStream(`${dir}/fs.tar`).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;

  const imp = await docker(d, ['import', '-c', 'CMD ["cat", "/data.txt"]', `http://127.0.0.1:${port}/fs.tar`, 'from-url:v1']);
  assert.equal(imp.code, 0, imp.stderr);
  assert.match(imp.stdout, new RegExp(`^Downloading from http://127.0.0.1:${port}/fs.tar\nsha256:[0-9a-f]{64}\n$`));
  assert.equal((await docker(d, ['run', '--rm', 'from-url:v1'])).stdout, 'over-http\n');

  const missing = await docker(d, ['import', `http://127.0.0.1:${port}/nothing.tar`]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `Error response from daemon: failed to GET http://127.0.0.1:${port}/nothing.tar with status 404 Not Found: nothing here\n`);
  server.close();
  const refused = await docker(d, ['import', `http://127.0.0.1:${port}/fs.tar`]);
  assert.equal(refused.stderr, `Error response from daemon: Get "http://127.0.0.1:${port}/fs.tar": dial tcp 127.0.0.1:${port}: connect: connection refused\n`);
});

test('load takes gzip, bzip2 and xz tarballs; a truncated one is refused in dockerd\'s words and the daemon lives on', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const dir = await fs.mkdtemp('/tmp/berth-wf-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const fixture = new URL('../../fixtures/busybox-ref.tar', import.meta.url).pathname;
  for (const [tool, ext] of [['gzip', 'gz'], ['bzip2', 'bz2'], ['xz', 'xz']] as const) {
    const packed = execFileSync(tool, ['-c', fixture], { maxBuffer: 64 << 20 });
    await fs.writeFile(`${dir}/image.tar.${ext}`, packed);
    await fs.writeFile(`${dir}/cut.tar.${ext}`, packed.subarray(0, packed.length >> 1));
    const load = await docker(d, ['load', '-i', `${dir}/image.tar.${ext}`]);
    assert.equal(load.stdout, 'Loaded image: busybox-ref:latest\n', `${tool}: ${load.stderr}`);
    const cut = await docker(d, ['load', '-i', `${dir}/cut.tar.${ext}`]);
    assert.equal(cut.code, 1);
    assert.equal(cut.stderr, 'Error processing tar file(exit status 1): unexpected EOF\n', tool);
  }
  assert.equal((await docker(d, ['run', '--rm', 'busybox-ref', 'echo', 'still here'])).stdout, 'still here\n');
});

test('an image saved by a real Docker engine loads into berth and runs', async (t) => {
  if (!requireRoot(t)) return;
  const ref = { host: REFERENCE_DOCKER_HOST };
  if (!referenceDockerRunning()) {
    t.skip('no reference Docker engine (../shared/tools/reference-docker start)');
    return;
  }
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp('/tmp/berth-wf-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  assert.equal((await docker(ref, ['save', '-o', `${dir}/ref.tar`, 'busybox-ref'])).code, 0);
  const load = await docker(d, ['load', '-i', `${dir}/ref.tar`]);
  assert.equal(load.code, 0, load.stderr);
  const run = await docker(d, ['run', '--rm', 'busybox-ref', 'echo', 'from docker']);
  assert.equal(run.stdout, 'from docker\n', run.stderr);
  // And back: berth's save is accepted by the real docker load.
  assert.equal((await docker(d, ['tag', 'busybox', 'berth-made:latest'])).code, 0);
  assert.equal((await docker(d, ['save', '-o', `${dir}/berth.tar`, 'berth-made:latest'])).code, 0);
  const back = await docker(ref, ['load', '-i', `${dir}/berth.tar`]);
  assert.equal(back.code, 0, back.stderr);
  const ran = await docker(ref, ['run', '--rm', '--network', 'none', 'berth-made:latest', 'echo', 'round trip']);
  assert.equal(ran.stdout, 'round trip\n', ran.stderr);
  await docker(ref, ['rmi', 'berth-made:latest']);
});

/**
 * A daemon running `box`, changed the three ways a container's layer can be:
 * a file copied in (/tmp/in.txt), one written (/root/out.txt), one deleted
 * (/bin/vi); and a host temp dir for copies.
 */
async function withChangedBox(t: TestContext): Promise<{ d: Daemon; dir: string }> {
  const d = await startDaemon(t);
  const dir = await fs.mkdtemp('/tmp/berth-wf-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await docker(d, ['run', '-d', '--name', 'box', 'busybox', 'sleep', '1000']);
  await fs.writeFile(`${dir}/in.txt`, 'into the container\n');
  const cpIn = await docker(d, ['cp', `${dir}/in.txt`, 'box:/tmp/in.txt']);
  assert.equal(cpIn.code, 0, cpIn.stderr);
  await docker(d, ['exec', 'box', 'sh', '-c', 'echo out > /root/out.txt; rm /bin/vi']);
  return { d, dir };
}

test('cp copies a host file into a running container', async (t) => {
  if (!requireRoot(t)) return;
  const { d } = await withChangedBox(t);
  assert.equal((await docker(d, ['exec', 'box', 'cat', '/tmp/in.txt'])).stdout, 'into the container\n');
});

test('cp copies a file out of a running container', async (t) => {
  if (!requireRoot(t)) return;
  const { d, dir } = await withChangedBox(t);
  const cpOut = await docker(d, ['cp', 'box:/root/out.txt', `${dir}/out.txt`]);
  assert.equal(cpOut.code, 0, cpOut.stderr);
  assert.equal(await fs.readFile(`${dir}/out.txt`, 'utf8'), 'out\n');
});

test('cp of a path the container does not have fails with "Could not find the file"', async (t) => {
  if (!requireRoot(t)) return;
  const { d, dir } = await withChangedBox(t);
  const missing = await docker(d, ['cp', 'box:/nope', `${dir}/x`]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Could not find the file \/nope in container box/);
});

test('diff lists the container\'s own additions, changes and deletions, not the init layer\'s mount points and files', async (t) => {
  if (!requireRoot(t)) return;
  const { d } = await withChangedBox(t);
  const diff = await docker(d, ['diff', 'box']);
  const lines = diff.stdout.trim().split('\n');
  for (const want of ['C /root', 'A /root/out.txt', 'C /tmp', 'A /tmp/in.txt', 'D /bin/vi']) assert.ok(lines.includes(want), `${want} in ${diff.stdout}`);
  // The mount points and generated files live in the init layer, below the container's own: not changes of its.
  assert.deepEqual(lines.filter((l) => /\/etc|\/dev|\/proc|\/sys|dockerenv/.test(l)), [], diff.stdout);
});

test('a container has /.dockerenv and an /etc/mtab linking to /proc/mounts', async (t) => {
  if (!requireRoot(t)) return;
  const { d } = await withChangedBox(t);
  const marks = await docker(d, ['exec', 'box', 'sh', '-c', 'test -f /.dockerenv && readlink /etc/mtab']);
  assert.deepEqual(marks, { stdout: '/proc/mounts\n', stderr: '', code: 0 });
});

test('commit makes an image with the given CMD whose top layer holds only the container\'s changes, deletions as whiteouts', async (t) => {
  if (!requireRoot(t)) return;
  const { d, dir } = await withChangedBox(t);
  const commit = await docker(d, ['commit', '-c', 'CMD ["cat", "/root/out.txt"]', '-m', 'with out.txt', 'box', 'committed:1']);
  assert.equal(commit.code, 0, commit.stderr);
  assert.equal((await docker(d, ['run', '--rm', 'committed:1'])).stdout, 'out\n');
  // Nothing of the init layer went into the image: its top layer holds the container's changes only.
  const saved = `${dir}/committed.tar`;
  assert.equal((await docker(d, ['save', '-o', saved, 'committed:1'])).code, 0);
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', saved, 'manifest.json'], { encoding: 'utf8' })) as { Layers: string[] }[];
  const top = execFileSync('tar', ['-xOf', saved, manifest[0]!.Layers.at(-1)!]);
  const entries = execFileSync('tar', ['-t'], { input: top, encoding: 'utf8' }).split('\n').filter(Boolean);
  assert.ok(entries.includes('root/out.txt'), entries.join(' '));
  assert.deepEqual(entries.filter((e) => /dockerenv|etc\/(hosts|hostname|resolv\.conf|mtab)|dev\/console/.test(e)), []);
  const gone = await docker(d, ['run', '--rm', 'committed:1', 'ls', '/bin/vi']);
  assert.notEqual(gone.code, 0, 'the deletion was committed as a whiteout');
});

test('rmi of an image a container uses is a conflict', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'box', 'busybox', 'sleep', '1000']);
  const used = await docker(d, ['rmi', 'busybox']);
  assert.equal(used.code, 1);
  assert.match(used.stderr, /conflict: unable to (remove repository reference|delete)/);
});

test('stats --no-stream reports memory and CPU of a running container', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['run', '-d', '--name', 'busy', '-m', '64m', 'busybox', 'sleep', '1000']);
  const stats = await docker(d, ['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}} {{.PIDs}}', 'busy']);
  assert.equal(stats.code, 0, stats.stderr);
  assert.match(stats.stdout.trim(), /^busy [\d.]+[KMG]?i?B \/ 64MiB 1$/);
});

test('events stream container lifecycle events', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const since = Math.floor(Date.now() / 1000) - 1;
  await docker(d, ['run', '--rm', '--name', 'evt', 'busybox', 'true']);
  const until = Math.floor(Date.now() / 1000) + 1;
  const ev = await docker(d, ['events', '--since', String(since), '--until', String(until), '--filter', 'container=evt', '--format', '{{.Action}}']);
  assert.deepEqual(ev.stdout.trim().split('\n'), ['create', 'attach', 'start', 'die', 'destroy']);
});

test('signals, stops, execs, top and copies out are announced as dockerd announces them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const since = Math.floor(Date.now() / 1000) - 1;
  await docker(d, ['run', '-d', '--name', 'ev', 'busybox', 'sleep', '100']);
  await docker(d, ['kill', '-s', 'HUP', 'ev']);
  await docker(d, ['exec', 'ev', 'true']);
  await docker(d, ['top', 'ev']);
  await docker(d, ['cp', 'ev:/etc/hostname', '-']);
  await docker(d, ['stop', '-t', '1', 'ev']);
  const until = Math.floor(Date.now() / 1000) + 1;
  const ev = await docker(d, ['events', '--since', String(since), '--until', String(until), '--filter', 'container=ev', '--format', '{{.Action}}|{{.Actor.Attributes.signal}}|{{if .Actor.Attributes.execID}}exec{{end}}']);
  assert.deepEqual(ev.stdout.trim().split('\n'), [
    'create|<no value>|', 'start|<no value>|', 'kill|1|', 'exec_create: true |<no value>|exec', 'exec_start: true |<no value>|exec',
    'exec_die|<no value>|exec', 'top|<no value>|', 'archive-path|<no value>|', 'kill|15|', 'kill|9|', 'die|<no value>|', 'stop|<no value>|',
  ]);
});

test('image and commit events carry what dockerd puts in them', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const since = Math.floor(Date.now() / 1000) - 1;
  await docker(d, ['create', '--name', 'src', 'busybox', 'true']);
  assert.equal((await docker(d, ['commit', '-m', 'hi', 'src', 'snap:1'])).code, 0);
  // The container changed nothing: no new layer, an empty one in the history (as dockerd).
  const layers = async (image: string) => (await docker(d, ['image', 'inspect', '-f', '{{len .RootFS.Layers}}', image])).stdout;
  assert.equal(await layers('snap:1'), await layers('busybox'));
  assert.equal((await docker(d, ['history', '--format', '{{.Size}}|{{.Comment}}', 'snap:1'])).stdout.split('\n')[0], '0B|hi');
  assert.equal((await docker(d, ['rmi', 'snap:1'])).code, 0);
  const until = Math.floor(Date.now() / 1000) + 1;
  const ev = await docker(d, ['events', '--since', String(since), '--until', String(until), '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.imageRef}}']);
  // (The daemon's own bootstrap of busybox, just before, is not this test's.)
  const lines = ev.stdout.trim().split('\n').map((l) => l.replace(/sha256:[0-9a-f]{64}/g, 'ID').trimEnd()).filter((l) => !l.includes('busybox'));
  assert.deepEqual(lines, ['container create src <no value>', 'image tag snap:1 <no value>', 'container commit src snap:1', 'image untag ID <no value>', 'image delete ID <no value>']);

  // A running container is paused for its commit (unless --pause=false), with dockerd's events.
  const from = Math.floor(Date.now() / 1000) - 1;
  await docker(d, ['run', '-d', '--name', 'live', 'busybox', 'sleep', '300']);
  assert.equal((await docker(d, ['commit', 'live', 'snap:2'])).code, 0);
  assert.equal((await docker(d, ['commit', '--pause=false', 'live', 'snap:3'])).code, 0);
  assert.equal((await docker(d, ['inspect', '-f', '{{.State.Status}}', 'live'])).stdout, 'running\n');
  const to = Math.floor(Date.now() / 1000) + 1;
  const live = await docker(d, ['events', '--since', String(from), '--until', String(to), '--filter', 'container=live', '--format', '{{.Action}}']);
  assert.deepEqual(live.stdout.trim().split('\n'), ['create', 'start', 'pause', 'commit', 'unpause', 'commit']);
});

test('the tarball a real `docker save` wrote (test/fixtures) loads with docker load and runs', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  const load = await docker(d, ['load', '-i', new URL('../../fixtures/busybox-ref.tar', import.meta.url).pathname]);
  assert.equal(load.code, 0, load.stderr);
  assert.match(load.stdout, /Loaded image: busybox-ref:latest/);
  const run = await docker(d, ['run', '--rm', 'busybox-ref', 'sh', '-c', 'echo saved by docker; exit 9']);
  assert.equal(run.stdout, 'saved by docker\n', run.stderr);
  assert.equal(run.code, 9);
});
