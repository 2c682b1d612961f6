/**
 * `berth build` on a terminal (a pty from util-linux `script`): Berth's
 * live display, one line per step with its number, instruction, time and
 * CACHED, the tail of the running step's output, and on failure the
 * failing step's whole output, the error and the RUN's exit code.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { BERTH, requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { assertNoMounts, makeDir } from './cli-helpers.ts';

/** What the terminal showed for `berth ARGS; echo rc=$?`, escape sequences kept. */
function onTerminal(d: Daemon, args: string): Promise<string> {
  const env = { ...process.env, DOCKER_HOST: d.host, BERTH_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config' };
  return new Promise((resolve, reject) => {
    execFile('script', ['-qfec', `stty rows 40 cols 100; ${BERTH} ${args}; echo rc=$?`, '/dev/null'], { env, encoding: 'utf8', timeout: 120_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout.replace(/\r/g, ''));
    });
  });
}

/** The last frame drawn: the text after the last cursor-up, escapes removed. */
function lastFrame(screen: string): string[] {
  const at = screen.lastIndexOf('\x1b[');
  const start = screen.lastIndexOf('A\x1b[2K', at) >= 0 ? screen.lastIndexOf('A\x1b[2K', at) + 1 : 0;
  // eslint-disable-next-line no-control-regex
  return screen.slice(start).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split('\n');
}

test('berth build draws its live display on a terminal: steps, times, CACHED, the tail of a RUN, the whole output of a failed step', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const ctx = makeDir(t, {
    Dockerfile: 'FROM busybox\nRUN for i in $(seq 1 12); do echo "line $i"; sleep 0.1; done\nCOPY a /a\n',
    a: 'a\n',
  });

  const cold = await onTerminal(d, `build -t cli-tty:1 ${ctx}`);
  assert.match(cold, /\x1b\[\?25l/); // the cursor hidden while drawing…
  assert.match(cold, /\x1b\[\?25h[^]*rc=0\n$/); // …and shown again
  const frame = lastFrame(cold);
  assert.match(frame[0] ?? '', /^Berth build \d+\.\ds {2}\(3\/3 steps\) {2}done$/);
  assert.ok(frame.some((l) => /^ ✔ context \S+ sent$/.test(l)), frame.join('\n'));
  assert.ok(frame.some((l) => /^ ✔ \[1\/3\] FROM busybox +\d+\.\ds$/.test(l)), frame.join('\n'));
  assert.ok(frame.some((l) => /^ ✔ \[2\/3\] RUN for i in \$\(seq 1 12\); do echo "line \$i"; sleep 0\.1; done +\d+\.\ds$/.test(l)), frame.join('\n'));
  assert.ok(frame.some((l) => /^ ✔ built sha256:[0-9a-f]{64}$/.test(l)), frame.join('\n'));
  assert.ok(frame.includes(' ✔ tagged cli-tty:1'), frame.join('\n'));
  // While the RUN ran, frames showed its newest lines under it, never more than six.
  const frames = cold.split(/\x1b\[\d+A/).slice(0, -1).map((f) => f.split('\n').filter((l) => l.includes('│ ')));
  assert.ok(frames.some((f) => f.some((l) => /│ line \d+$/.test(l))), cold);
  assert.ok(frames.every((f) => f.length <= 6));
  // No line of the final frame is wider than the terminal.
  for (const l of frame) assert.ok([...l].length < 100, l);

  const cached = lastFrame(await onTerminal(d, `build -t cli-tty:1 ${ctx}`));
  assert.ok(cached.some((l) => /^ ✔ \[2\/3\] RUN .* CACHED +\d+\.\ds$/.test(l)), cached.join('\n'));
  assert.ok(cached.some((l) => /^ ✔ \[3\/3\] COPY a \/a +CACHED +\d+\.\ds$/.test(l)), cached.join('\n'));

  const failing = makeDir(t, { Dockerfile: 'FROM busybox\nRUN for i in $(seq 1 10); do echo "out $i"; done; exit 3\n' });
  const failed = await onTerminal(d, `build --progress=tty ${failing}`);
  const last = lastFrame(failed);
  assert.match(last[0] ?? '', /FAILED$/);
  assert.ok(last.some((l) => /^ ✘ \[2\/2\] RUN /.test(l)), last.join('\n'));
  // The whole output of the failed step, not only its tail.
  assert.deepEqual(last.filter((l) => l.startsWith('   │ ')), Array.from({ length: 10 }, (_, i) => `   │ out ${i + 1}`));
  assert.match(failed, /The command '\/bin\/sh -c for i in \$\(seq 1 10\); do echo "out \$i"; done; exit 3' returned a non-zero code: 3\nrc=3\n$/);

  // --progress=plain on a terminal: the classic output.
  const plain = await onTerminal(d, `build --progress=plain -t cli-tty:1 ${ctx}`);
  assert.match(plain, /Step 2\/3 : RUN [^\n]*\n ---> Using cache\n[^]*Successfully tagged cli-tty:1\nrc=0\n$/);
  await assertNoMounts(d);
});
