/** The one spawner: output, input, exit codes, timeouts and a missing command, through posix_spawn. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, ExecFailedError } from './exec-file.ts';

test('a command gets its input and gives back what it printed on each stream, with its exit code', async () => {
  assert.deepEqual(await execFile('cat', [], { input: 'hello\n' }), { code: 0, stdout: 'hello\n', stderr: '' });
  assert.deepEqual(await execFile('sh', ['-c', 'echo out; echo err >&2; exit 3'], { okCodes: [3] }), { code: 3, stdout: 'out\n', stderr: 'err\n' });
  assert.equal((await execFile('head', ['-c', '3000000', '/dev/zero'])).stdout.length, 3_000_000, 'more than a pipe holds');
  assert.deepEqual(await execFile('sh', ['-c', 'exec cat </dev/null'], { input: 'x'.repeat(1 << 20) }).then((r) => r.code), 0, 'input nobody reads');
});

test('a failure names the command, its exit code and the tail of what it printed; a missing command and a timeout fail too', async () => {
  await assert.rejects(execFile('sh', ['-c', 'echo broken >&2; exit 2']), (err: unknown) => {
    assert.ok(err instanceof ExecFailedError);
    assert.equal(err.code, 2);
    assert.match(err.message, /^sh -c echo broken >&2; exit 2 failed \(exit 2\): broken$/);
    return true;
  });
  await assert.rejects(execFile('no-such-command-here', []), /no-such-command-here: executable file not found in \$PATH/);
  const t0 = Date.now();
  await assert.rejects(execFile('sleep', ['5'], { timeoutMs: 200 }), /failed \(exit signal\)/);
  assert.ok(Date.now() - t0 < 3000);
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 100);
  await assert.rejects(execFile('sleep', ['5'], { signal: abort.signal }), /failed \(exit signal\)/);
});
