/** `cp` with directories, symlinks and -L, through the docker CLI and berth against the same berthd. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { BERTH, DOCKER, docker, requireRoot, runCli, startDaemon } from '../../helpers/daemon.ts';

for (const [label, cli] of [['docker', DOCKER], ['berth', BERTH]] as const) {
  test(`${label} cp copies trees with symlinks both ways, and -L follows a source link`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    const dir = await fs.mkdtemp('/tmp/berth-cp-');
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    await docker(d, ['run', '-d', '--name', 'src', 'busybox', 'sleep', '1000']);
    // Made by an exec, which returns once they exist.
    const made = await docker(d, ['exec', 'src', 'sh', '-c', 'mkdir -p /data/sub && echo hello > /data/sub/file && ln -s sub/file /data/link']);
    assert.equal(made.code, 0, made.stderr);
    const out = await runCli(cli, d, ['cp', 'src:/data', `${dir}/copy`]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(await fs.readFile(`${dir}/copy/sub/file`, 'utf8'), 'hello\n');
    assert.equal(await fs.readlink(`${dir}/copy/link`), 'sub/file');
    const followed = await runCli(cli, d, ['cp', '-L', 'src:/data/link', `${dir}/followed`]);
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal((await fs.lstat(`${dir}/followed`)).isFile(), true);
    assert.equal(await fs.readFile(`${dir}/followed`, 'utf8'), 'hello\n');
    const back = await runCli(cli, d, ['cp', `${dir}/copy`, 'src:/back']);
    assert.equal(back.code, 0, back.stderr);
    const check = await docker(d, ['exec', 'src', 'sh', '-c', 'cat /back/sub/file; readlink /back/link']);
    assert.equal(check.stdout, 'hello\nsub/file\n');
  });
}
