/**
 * conmon's attach socket (conmon `src/conn_sock.c`): a SOCK_SEQPACKET unix
 * socket at `<bundle>/attach` (with `--full-attach`). Each packet conmon
 * sends is one read of the container's output, its first byte naming the
 * pipe (conmon's stdpipe_t: 2 stdout, 3 stderr); every packet we send is
 * written to the container's stdin; shutting down our write side closes the container's
 * stdin unless conmon runs with `--leave-stdin-open`.
 */
import fs from 'node:fs';
import net from 'node:net';
import { Writable } from 'node:stream';
import { native } from '../native.ts';
import { SystemError } from '../../util/errors.ts';
import type { AttachStreams } from './runtime.ts';

/** conmon reads stdin packets into a 32 KiB buffer; stay well below so none is truncated. */
const MAX_PACKET = 8192;

interface PipeWrapModule {
  Pipe: new (type: number) => { open(fd: number): number };
  constants: { SOCKET: number };
}

/**
 * net.Socket({fd}) refuses SEQPACKET sockets (libuv guesses "UNKNOWN"), but
 * libuv's pipe handle reads and writes them fine, one packet per read. So
 * the fd is opened into a Pipe handle directly.
 */
function socketFromFd(fd: number): net.Socket {
  const binding = (process as unknown as { binding(name: string): unknown }).binding('pipe_wrap') as PipeWrapModule;
  const handle = new binding.Pipe(binding.constants.SOCKET);
  const rc = handle.open(fd);
  if (rc !== 0) {
    fs.closeSync(fd);
    throw new SystemError(`attach socket: cannot open fd ${fd} (${rc})`);
  }
  return new net.Socket({ handle, readable: true, writable: true, allowHalfOpen: true } as net.SocketConstructorOpts);
}

/**
 * Connect to the attach socket in `dir`. The path goes through
 * /proc/self/fd so that a long directory never hits the 108-byte limit of
 * unix socket addresses (conmon binds it the same way).
 */
export function connectAttachSocket(dir: string): AttachStreams {
  let dirFd: number;
  try {
    dirFd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  } catch (e) {
    throw new SystemError(`attach: ${(e as Error).message}`, { cause: e });
  }
  let fd: number;
  try {
    fd = native().connectSeqpacket(`/proc/self/fd/${dirFd}/attach`);
  } catch (e) {
    throw new SystemError(`attach: cannot connect to ${dir}/attach: ${(e as Error).message}`, { cause: e });
  } finally {
    fs.closeSync(dirFd);
  }
  return wrapAttachSocket(socketFromFd(fd));
}

function wrapAttachSocket(socket: net.Socket): AttachStreams {
  const outputListeners: ((stream: 1 | 2, data: Buffer) => void)[] = [];
  const endListeners: (() => void)[] = [];
  // Packets that arrive before anyone listens are kept, not lost.
  const pending: [1 | 2, Buffer][] = [];
  let ended = false;

  socket.on('data', (packet: Buffer) => {
    if (packet.length < 1) return;
    // conmon's stdpipe_t: 1 stdin, 2 stdout, 3 stderr.
    const stream: 1 | 2 = packet[0] === 3 ? 2 : 1;
    const data = packet.subarray(1);
    if (outputListeners.length === 0) pending.push([stream, data]);
    else for (const l of outputListeners) l(stream, data);
  });
  const finish = (): void => {
    if (ended) return;
    ended = true;
    for (const l of endListeners) l();
  };
  socket.on('end', finish);
  socket.on('close', finish);
  socket.on('error', finish);

  const stdin = new Writable({
    write(chunk: Buffer, _enc, callback) {
      if (socket.destroyed) return callback();
      for (let off = 0; off < chunk.length; off += MAX_PACKET) {
        const last = off + MAX_PACKET >= chunk.length;
        socket.write(chunk.subarray(off, off + MAX_PACKET), last ? (err) => callback(err ?? null) : undefined);
      }
      if (chunk.length === 0) callback();
    },
    final(callback) {
      if (!socket.destroyed) socket.end();
      callback();
    },
  });
  stdin.on('error', () => {
    // The process went away; output side reports the end.
  });

  return {
    stdin,
    onOutput(listener) {
      outputListeners.push(listener);
      for (const [s, d] of pending.splice(0)) listener(s, d);
    },
    onEnd(listener) {
      if (ended) queueMicrotask(listener);
      else endListeners.push(listener);
    },
    closeStdin() {
      if (!stdin.writableEnded) stdin.end();
    },
    close() {
      socket.destroy();
      finish();
    },
  };
}
