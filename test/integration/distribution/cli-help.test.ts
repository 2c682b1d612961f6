/** `berth pull|push|login|logout --help` read exactly as the docker CLI's (names aside). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { BERTH, DOCKER } from '../../helpers/daemon.ts';

for (const cmd of ['pull', 'push', 'login', 'logout']) {
  test(`berth ${cmd} --help reads as docker's`, { skip: !existsSync(DOCKER) && 'no docker CLI' }, () => {
    const env = { ...process.env, COLUMNS: '80' };
    const d = spawnSync(DOCKER, [cmd, '--help'], { encoding: 'utf8', env });
    const b = spawnSync(BERTH, [cmd, '--help'], { encoding: 'utf8', env });
    assert.equal(b.status, 0);
    assert.equal(b.stdout, d.stdout.replaceAll('docker', 'berth'));
  });
}
