/**
 * Starting a created container by reading runc's exec fifo, without a
 * `runc start` process.
 *
 * `runc create` leaves the container's init blocked on
 * `<runc root>/<id>/exec.fifo` (runc 1.x, `libcontainer/container_linux.go`):
 * the init opens the fifo for writing, writes one byte and execs the
 * user's process, which closes its end. `runc start` is only the reader:
 * it opens the fifo, reads to EOF, and unlinks it (the fifo's absence is how
 * runc tells "running" from "created" afterwards). Doing the same here saves
 * a runc process, about 6 ms of Go start-up, on every start.
 *
 * The fifo's place is runc's own layout, not a documented interface, so the
 * caller falls back to `runc start` whenever the fifo is not there.
 */
import fs from 'node:fs';
import net from 'node:net';
import { isErrno, SystemError } from '../../util/errors.ts';

const { O_RDONLY, O_NONBLOCK } = fs.constants;

/** How often a start waiting on the fifo checks that the init is still alive (runc start: 100 ms). */
const LIVENESS_INTERVAL_MS = 100;

/**
 * Releases the init waiting on `fifo`; resolves once the user's process has
 * been exec'd. 'no-fifo' when there is no fifo at that path (the caller then
 * asks runc itself).
 */
export async function startThroughExecFifo(fifo: string, initPid: number | undefined): Promise<'started' | 'no-fifo'> {
  let fd: number;
  try {
    // Non-blocking: the open succeeds without a writer, and the kernel
    // reports no hang-up on this end until a writer has come and gone.
    fd = fs.openSync(fifo, O_RDONLY | O_NONBLOCK);
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENXIO')) return 'no-fifo';
    throw new SystemError(`exec fifo ${fifo}: ${(e as Error).message}`, { cause: e });
  }
  await new Promise<void>((resolve, reject) => {
    const socket = new net.Socket({ fd, readable: true, writable: false });
    let received = 0;
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    // EOF: the init wrote its byte and exec'd (its end is close-on-exec), or it died on the way.
    socket.on('end', () => {
      if (received > 0) return finish();
      void initAlive(initPid).then((alive) =>
        finish(new SystemError(alive ? 'cannot start an already running container' : 'container process is already dead')),
      );
    });
    socket.on('error', (e) => finish(new SystemError(`exec fifo ${fifo}: ${e.message}`, { cause: e })));
    // An init that dies before it opens the fifo never wakes us: watch it, as runc start does.
    const timer = setInterval(() => {
      void initAlive(initPid).then((alive) => {
        if (alive) return;
        // It may have started, run and ended between two checks: then its byte is here.
        finish(received > 0 ? undefined : new SystemError('container process is already dead'));
      });
    }, LIVENESS_INTERVAL_MS);
  });
  fs.rmSync(fifo, { force: true });
  await execFinished(initPid);
  return 'started';
}

/**
 * The init's end of the fifo is closed early in its execve, before the
 * kernel gives the process its new name: wait (briefly) for the exec to be
 * complete, so that whoever looks right after a start (`docker top`) sees
 * the user's command and not runc's init.
 */
async function execFinished(pid: number | undefined): Promise<void> {
  if (!pid) return;
  for (let i = 0; i < 50; i++) {
    let comm: string;
    try {
      comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8');
    } catch {
      return; // already gone
    }
    if (!comm.startsWith('runc:[')) return;
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Whether a process exists and is not a zombie (`/proc/<pid>/stat`, the field after the command). */
async function initAlive(pid: number | undefined): Promise<boolean> {
  if (!pid) return false;
  try {
    const stat = await fs.promises.readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
