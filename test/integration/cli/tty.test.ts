/**
 * Interactive sessions in a real pseudo-terminal (util-linux `script`), with
 * the real docker CLI and with berth against the same berthd: the terminal's
 * size reaches the container, typed input runs and the exit code comes back,
 * ctrl-p ctrl-q detaches, and the terminal is restored afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile as execFileCb } from 'node:child_process';
import { promisify } from 'node:util';
import { promises as fs } from 'node:fs';
import { BERTH, DOCKER, docker, requireRoot, startDaemon, type Daemon } from '../../helpers/daemon.ts';
import { watchEvents } from '../../helpers/wait.ts';

const execFile = promisify(execFileCb);

/** Run `command`, which reads nothing, under `script` in a fresh pty; what the terminal showed. */
function inPty(d: Daemon, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, DOCKER_HOST: d.host, BERTH_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config' },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out.replace(/\r/g, '')));
  });
}

/** A session under `script` driven by what it prints: wait for output, then type. */
function startPty(d: Daemon, command: string): { waitFor(re: RegExp, ms?: number): Promise<string>; type(keys: string): void; close(): void } {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, DOCKER_HOST: d.host, BERTH_HOST: d.host, DOCKER_CONFIG: '/tmp/berth-test/docker-config' },
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  let out = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString().replace(/\r/g, '');
    for (const l of listeners) l();
  });
  return {
    waitFor(re, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!re.test(out)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(out);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${re} in the terminal after ${ms} ms; it showed:\n${out}`));
        }, ms);
        listeners.add(check);
        check();
      });
    },
    type(keys) {
      child.stdin.write(keys);
    },
    close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

for (const [label, cli] of [['docker', DOCKER], ['berth', BERTH]] as const) {
  test(`${label} run -it: terminal size, typed input, exit code, restored terminal`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    const size = await inPty(d, `stty rows 30 cols 100; ${cli} run -it --rm busybox stty size`);
    assert.match(size, /30 100\n/);
    const session = startPty(d, `${cli} run -it --rm busybox sh; echo rc=$?`);
    t.after(() => session.close());
    await session.waitFor(/Enter 'help'/); // busybox sh's banner: the session is up
    session.type('echo typed-$((40+2)); exit 4\r');
    const typed = await session.waitFor(/rc=\d+\n/);
    assert.match(typed, /typed-42\n/);
    assert.match(typed, /rc=4\n/);
    const dir = await fs.mkdtemp('/tmp/berth-tty-');
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    await inPty(d, `stty -g > ${dir}/before; ${cli} run -it --rm busybox true; stty -g > ${dir}/after`);
    assert.equal(await fs.readFile(`${dir}/after`, 'utf8'), await fs.readFile(`${dir}/before`, 'utf8'), 'terminal settings restored');
  });

  test(`${label} run -it: a resize of the terminal mid-session reaches the container (SIGWINCH)`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    const dir = await fs.mkdtemp('/tmp/berth-tty-');
    t.after(() => fs.rm(dir, { recursive: true, force: true }));
    await execFile('mkfifo', [`${dir}/go`]);
    // The resize waits for the test's word on a fifo; without job control the
    // CLI shares the shell's process group, which the kernel signals with
    // SIGWINCH when stty changes the pty's size.
    const session = startPty(d, `stty rows 30 cols 100; (cat ${dir}/go > /dev/null; stty rows 41 cols 123 < /dev/tty) & ${cli} run -it --rm busybox sh; echo rc=$?`);
    t.after(() => session.close());
    await session.waitFor(/Enter 'help'/); // busybox sh's banner: the session is up
    session.type('stty size\r');
    await session.waitFor(/30 100\n/);
    await fs.writeFile(`${dir}/go`, 'now\n');
    // The resize travels pty → CLI → daemon → conmon: ask again until it has arrived.
    for (let attempt = 0; ; attempt++) {
      session.type('stty size\r');
      try {
        await session.waitFor(/41 123\n/, 1000);
        break;
      } catch (err) {
        if (attempt === 5) throw err;
      }
    }
    session.type('exit 0\r');
    const out = await session.waitFor(/rc=\d+\n/);
    assert.match(out, /30 100\n[^]*41 123\n[^]*rc=0\n/);
  });

  test(`${label} run -it detaches with ctrl-p ctrl-q and the container keeps running`, async (t) => {
    if (!requireRoot(t)) return;
    const d = await startDaemon(t);
    const first = startPty(d, `${cli} run -it --name detachme busybox sh; echo rc=$?`);
    t.after(() => first.close());
    await first.waitFor(/Enter 'help'/);
    first.type('\x10\x11');
    const out = await first.waitFor(/rc=\d+\n/);
    assert.match(out, /rc=0\n/);
    const state = await docker(d, ['inspect', '-f', '{{.State.Running}}', 'detachme']);
    assert.equal(state.stdout.trim(), 'true');
    // The terminal's stdin stays open for the next attach (run -it sets StdinOnce; dockerd keeps a TTY's stdin).
    const events = await watchEvents(d.socket, { container: ['detachme'], event: ['attach'] });
    t.after(() => events.close());
    const again = startPty(d, `${cli} attach detachme; echo rc=$?`);
    t.after(() => again.close());
    // The daemon keeps what is typed from the moment it has the attach: it announces it.
    await events.next((e) => e.Action === 'attach');
    again.type('echo back-$((40+2))\r');
    await again.waitFor(/back-42\n/);
    again.type('exit 7\r');
    await again.waitFor(/rc=7\n/);
    const exited = await docker(d, ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'detachme']);
    assert.equal(exited.stdout, 'exited 7\n');
  });
}
