/**
 * Runs the conformance suites against a private berthd, once with the real
 * docker CLI (proving the expectations are Docker's) and once with bin/berth.
 * Started by `node scripts/test.mjs conformance` (and so by `npm test`).
 * With BERTH_TEST_HOST set, the suites run against that daemon instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { BERTH, BERTHD, DOCKER, apiRequest, cleanupRoots } from '../helpers/daemon.ts';

const files = process.argv.slice(2);

function runSuites(cli: string, host: string, image: string): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, BERTH_TEST_CLI: cli, BERTH_TEST_HOST: host, BERTH_TEST_IMAGE: image },
  });
  return r.status ?? 1;
}

async function main(): Promise<number> {
  if (process.env.BERTH_TEST_HOST) return runSuites(process.env.BERTH_TEST_CLI || BERTH, process.env.BERTH_TEST_HOST, process.env.BERTH_TEST_IMAGE || 'busybox');
  const tag = randomBytes(4).toString('hex');
  const dataRoot = `/tmp/berth-conformance/${tag}`;
  const execRoot = `/run/bc-${tag}`;
  const socket = `${execRoot}/berth.sock`;
  await fs.mkdir(dataRoot, { recursive: true });
  const log = await fs.open(`${dataRoot}.log`, 'w');
  const daemon = spawn(BERTHD, ['-H', `unix://${socket}`, '--data-root', dataRoot, '--exec-root', execRoot], { stdio: ['ignore', log.fd, log.fd] });
  try {
    for (let i = 0; i < 300; i++) {
      const ok = await apiRequest(socket, 'GET', '/_ping').then((r) => r.status === 200, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const boot = await apiRequest(socket, 'POST', '/images/bootstrap?name=busybox');
    if (boot.status !== 200) throw new Error(`bootstrap failed: ${boot.text}`);
    let failed = 0;
    for (const cli of [DOCKER, BERTH]) {
      console.log(`# conformance with ${cli}`);
      failed |= runSuites(cli, `unix://${socket}`, 'busybox');
    }
    return failed;
  } finally {
    const list = await apiRequest(socket, 'GET', '/containers/json?all=1').catch(() => undefined);
    for (const c of (list?.body as Array<{ Id: string }> | undefined) ?? []) await apiRequest(socket, 'DELETE', `/containers/${c.Id}?force=1`).catch(() => undefined);
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    await exited;
    await log.close();
    await cleanupRoots(dataRoot, execRoot);
    await fs.rm(`${dataRoot}.log`, { force: true });
    await fs.rmdir('/tmp/berth-conformance').catch(() => undefined); // only when no other run uses it
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
