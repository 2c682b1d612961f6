/**
 * The OCI distribution-spec conformance suite (v1.1.1, all four categories)
 * against `berth registry serve`: 74 specs, all must pass. The suite is
 * built by ../shared/tools/oci-conformance/run.sh from cached mirrors (about
 * 30 s the first time, nothing after); when it cannot be built here (no
 * mirrors, no Go), the test is skipped saying why.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { startRegistryProcess, tempDir } from '../../helpers/registry-server.ts';

const RUN_SH = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../shared/tools/oci-conformance/run.sh');
const SHARED_RUN_SH = existsSync(RUN_SH) ? RUN_SH : '/work/shared/tools/oci-conformance/run.sh';

/**
 * run.sh looks for its git mirrors beside the folder that holds shared/; a CI
 * clone elsewhere on this machine has a copy of shared/ but not the mirrors,
 * which the developers' sessions keep in /work/.mirror: point run.sh there.
 */
function mirrorEnv(): Record<string, string> {
  if (process.env['OCI_MIRROR_DIR']) return {};
  const beside = path.resolve(path.dirname(SHARED_RUN_SH), '../../../.mirror');
  if (existsSync(path.join(beside, 'opencontainers+distribution-spec'))) return {};
  return existsSync('/work/.mirror/opencontainers+distribution-spec') ? { OCI_MIRROR_DIR: '/work/.mirror' } : {};
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [SHARED_RUN_SH, ...args], { env: { ...process.env, ...mirrorEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

test('the OCI conformance suite passes 74 of 74 against berth registry serve', { timeout: 300_000 }, async (t) => {
  if (!existsSync(SHARED_RUN_SH)) return t.skip(`no conformance runner at ${SHARED_RUN_SH}`);
  const built = await run(['--build-only'], {});
  if (built.code !== 0) return t.skip(`the conformance suite cannot be built on this machine: ${built.out.trim().split('\n').slice(-3).join(' / ')}`);
  const reg = await startRegistryProcess(t);
  const report = tempDir(t, 'berth-oci-report');
  const r = await run([], {
    OCI_ROOT_URL: reg.url,
    OCI_NAMESPACE: 'conformance/repo',
    OCI_CROSSMOUNT_NAMESPACE: 'conformance/other',
    OCI_TEST_PULL: '1',
    OCI_TEST_PUSH: '1',
    OCI_TEST_CONTENT_DISCOVERY: '1',
    OCI_TEST_CONTENT_MANAGEMENT: '1',
    OCI_REPORT_DIR: report,
  });
  const last = r.out.trim().split('\n').pop();
  assert.equal(last, '74 passed, 0 failed', r.out.slice(-4000));
  assert.equal(r.code, 0);
});
