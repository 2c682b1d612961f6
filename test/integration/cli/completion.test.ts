/** `berth completion bash`: commands, subcommands, flags and names from a live daemon. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BERTH, docker, requireRoot, startDaemon } from '../../helpers/daemon.ts';

test('bash completion completes commands, group verbs, flags and container/image names', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  await docker(d, ['create', '--name', 'completeme', 'busybox', 'true']);
  await docker(d, ['volume', 'create', 'volcomplete']);
  const complete = (words: string[]) => {
    const script = `source <("${BERTH}" completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _berth; echo "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', script], { env: { ...process.env, BERTH_HOST: d.host }, encoding: 'utf8' });
    return r.stdout.trim();
  };
  assert.equal(complete([BERTH, 'contain']), 'container');
  assert.equal(complete([BERTH, 'image', 'pr']), 'prune');
  assert.match(complete([BERTH, 'run', '--pids']), /--pids-limit/);
  assert.equal(complete([BERTH, 'logs', 'complete']), 'completeme');
  assert.equal(complete([BERTH, 'volume', 'rm', 'volc']), 'volcomplete');
  assert.equal(complete([BERTH, 'vol']), 'volume');
  assert.equal(complete([BERTH, 'rmi', 'busy']), 'busybox:latest');
  const zsh = spawnSync(BERTH, ['completion', 'zsh'], { encoding: 'utf8' });
  assert.match(zsh.stdout, /bashcompinit/);
  const bad = spawnSync(BERTH, ['completion', 'fish'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
});
