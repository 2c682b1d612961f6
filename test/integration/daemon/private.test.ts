/**
 * Private by default, as dockerd: another host user reads no secret and no
 * layer, whatever umask berthd was started under, and the socket belongs to
 * the group `-G` names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startDaemon, requireRoot, docker, BERTHD } from '../../helpers/daemon.ts';

/** Whether the unprivileged user `nobody` can read `file`. */
function nobodyCanRead(file: string): boolean {
  return spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', file]).status === 0;
}

const modeOf = (file: string) => statSync(file).mode & 0o7777;

/** Mount points below `root` (their contents are the kernel's or the container's, not ours). */
function mountsUnder(root: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(root + '/'));
}

/**
 * Every path below `root` whose mode lets others write, except what a
 * container's image or process made: the files of unpacked layers and of a
 * writable layer (their modes are the image's: /tmp is 1777), and whatever
 * is mounted below. The directories holding them are checked.
 */
async function worldWritable(root: string): Promise<string[]> {
  const skip = new Set(mountsUnder(root));
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isSymbolicLink()) continue;
      const st = await fs.lstat(p);
      if (st.mode & 0o002) found.push(`${(st.mode & 0o7777).toString(8)} ${p}`);
      if (!e.isDirectory() || skip.has(p)) continue;
      // Image and container content: modes chosen by the image and the container.
      if (/\/layers\/[^/]+\/diff$/.test(p) || /\/containers\/[^/]+\/fs\/(upper|work)$/.test(p)) continue;
      await walk(p);
    }
  };
  await walk(root);
  return found;
}

test('under umask 000 no container record, spec, log or layer file is readable by another user, and nothing in the data or exec root is world-writable', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { umask: 0o000 });
  const run = await docker(d, ['run', '-d', '--name', 'private-secret', '-e', 'SECRET=hunter2', 'busybox', 'sh', '-c', 'echo logged; echo data >/written; exec sleep 1000']);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  const exec = await docker(d, ['exec', '-e', 'EXEC_SECRET=x', 'private-secret', 'cat', '/written']);
  assert.equal(exec.code, 0, exec.stderr);

  const dir = `${d.dataRoot}/containers/${id}`;
  const record = `${dir}/config.v2.json`;
  const spec = `${dir}/bundle/config.json`;
  assert.match(readFileSync(record, 'utf8'), /hunter2/);
  assert.equal(modeOf(d.dataRoot), 0o710, 'data root');
  assert.equal(modeOf(d.execRoot), 0o700, 'exec root');
  assert.equal(modeOf(dir), 0o710, 'container directory');
  assert.equal(modeOf(record), 0o600, 'record');
  assert.equal(modeOf(spec), 0o600, 'runtime spec');
  assert.equal(modeOf(`${d.execRoot}/berthd.pid`), 0o644, 'pid file');
  assert.equal(modeOf(d.socket), 0o660, 'socket');

  const layers = await fs.readdir(`${d.dataRoot}/layers`);
  const layerFile = layers.map((l) => `${d.dataRoot}/layers/${l}/diff/bin/busybox`).find((f) => statSync(f, { throwIfNoEntry: false }));
  assert.ok(layerFile, 'an unpacked layer file');
  const blobs = await fs.readdir(`${d.dataRoot}/content/sha256`);
  const secrets = [record, spec, `${dir}/${id}-json.log`, `${dir}/fs/upper/written`, layerFile, `${d.dataRoot}/content/sha256/${blobs[0]}`];
  for (const file of secrets) {
    assert.ok(statSync(file, { throwIfNoEntry: false }), `${file} exists`);
    assert.equal(nobodyCanRead(file), false, `nobody reads ${file}`);
  }
  assert.notEqual(spawnSync('runuser', ['-u', 'nobody', '--', 'cat', record]).status, 0);

  assert.deepEqual(await worldWritable(d.dataRoot), []);
  assert.deepEqual(await worldWritable(d.execRoot), []);
});

test('an existing data root made 0711 by an older berthd is made 0710 at start', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t, { bootstrap: false });
  await d.stop();
  await fs.chmod(d.dataRoot, 0o711);
  await fs.chmod(d.execRoot, 0o755);
  await d.restart();
  assert.equal(modeOf(d.dataRoot), 0o710);
  assert.equal(modeOf(d.execRoot), 0o700);
});

test('the socket belongs to the group -G (or daemon.json "group") names; by default to "docker" when that group exists, else root', async (t) => {
  if (!requireRoot(t)) return;
  const group = `bt-${randomBytes(3).toString('hex')}`;
  assert.equal(spawnSync('groupadd', [group]).status, 0);
  t.after(() => void spawnSync('groupdel', [group]));
  const gid = Number(spawnSync('getent', ['group', group], { encoding: 'utf8' }).stdout.split(':')[2]);

  const named = await startDaemon(t, { bootstrap: false, args: ['-G', group] });
  assert.equal(statSync(named.socket).gid, gid);
  assert.equal(modeOf(named.socket), 0o660);

  const configFile = `/tmp/berth-test/${group}.json`;
  await fs.mkdir('/tmp/berth-test', { recursive: true });
  await fs.writeFile(configFile, JSON.stringify({ group }));
  t.after(() => fs.rm(configFile, { force: true }));
  const configured = await startDaemon(t, { bootstrap: false, args: ['--config-file', configFile] });
  assert.equal(statSync(configured.socket).gid, gid, 'daemon.json "group"');

  const byDefault = await startDaemon(t, { bootstrap: false });
  const docker = spawnSync('getent', ['group', 'docker'], { encoding: 'utf8' });
  const dockerGid = docker.status === 0 ? Number(docker.stdout.split(':')[2]) : 0;
  assert.equal(statSync(byDefault.socket).gid, dockerGid);
});

test('an unknown -G group stops the start with dockerd\'s words', async (t) => {
  if (!requireRoot(t)) return;
  const tag = randomBytes(4).toString('hex');
  const root = `/tmp/berth-test/${tag}`;
  t.after(() => fs.rm(root, { recursive: true, force: true }));
  const child = spawn(BERTHD, ['-G', `nosuch-${tag}`, '-H', `unix://${root}/s.sock`, '--data-root', `${root}/data`, '--exec-root', `${root}/exec`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 1);
  assert.match(stderr, new RegExp(`failed to load listeners: group nosuch-${tag} not found`));
});
