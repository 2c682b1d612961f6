/**
 * An exec session under its own conmon (`--exec`, api-version 1):
 * conmon runs `runc exec --detach --process <file>`; its sync pipe carries
 * first `{"data": <pid>}`, later `{"data": <exit code>}`. With
 * `--exec-attach`, conmon first reports on the attach pipe that its socket is
 * listening, and its runc child waits on the start pipe, so we connect
 * before the process starts and lose no output.
 */
import fs from 'node:fs';
import { warmCgroupAttach } from '../cgroups/attach-warmup.ts';
import { SystemError } from '../../util/errors.ts';
import { connectAttachSocket } from './attach-socket.ts';
import type { ConmonRunc } from './conmon-runc.ts';
import { readExitFile } from './exit-file.ts';
import { openReadPipe, openWritePipe, PipeReader, type PipeEnds } from './pipes.ts';
import { parseRuntimeMessage, RuntimeStartError } from './runtime-errors.ts';
import type { AttachStreams, ExecOptions } from './runtime.ts';
import { SPEC_MODE, specToJson } from './spec/serialize.ts';

export async function runExec(
  driver: ConmonRunc,
  o: ExecOptions,
  attach: boolean,
): Promise<{ streams?: AttachStreams; pid: number; exit: Promise<number> }> {
  // runc exec moves the new process into the container's cgroups: have the kernel's lock warm by then.
  void warmCgroupAttach();
  const dir = driver.paths.execDir(o.containerId, o.execId);
  await fs.promises.mkdir(`${dir}/exit`, { recursive: true });
  await fs.promises.writeFile(`${dir}/process.json`, specToJson(o.process), { mode: SPEC_MODE });
  const args = [
    '--api-version', '1',
    '-c', o.containerId, '-u', o.execId,
    '-r', driver.runcPath,
    '-b', dir,
    '-p', `${dir}/pid`,
    '--exit-dir', `${dir}/exit`,
    '-l', `k8s-file:${o.logPath}`,
    '--log-level', 'error',
    '--full-attach',
    '--no-sync-log',
    '--exec', '--exec-process-spec', `${dir}/process.json`,
  ];
  for (const a of driver.runtimeArgs()) args.push('--runtime-arg', a);
  if (o.tty) args.push('-t');
  if (o.openStdin) args.push('-i');
  if (attach) args.push('--exec-attach');

  const pipes: PipeEnds[] = [];
  const sync = openReadPipe();
  pipes.push(sync);
  const start = openWritePipe();
  pipes.push(start);
  const attachPipe = attach ? openReadPipe() : undefined;
  if (attachPipe) pipes.push(attachPipe);
  const syncReader = new PipeReader(sync.parent.take());
  const attachReader = attachPipe ? new PipeReader(attachPipe.parent.take()) : undefined;
  let streams: AttachStreams | undefined;
  try {
    // First start-pipe read: conmon's go-ahead before it forks.
    fs.writeSync(start.parent.value, '0');
    const env: Record<string, string> = { _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' };
    if (attachPipe) env._OCI_ATTACHPIPE = '5';
    const conmon = driver.startConmon(dir, args, env, pipes.map((p) => p.child.value));
    for (const p of pipes) p.child.close();
    await conmon.exited;
    if (attachReader) {
      const ready = await attachReader.next();
      attachReader.close();
      if (!ready || ready.data < 0) throw new SystemError(`conmon did not open the attach socket for exec ${o.execId}: ${ready?.message ?? 'exited'}`);
      streams = connectAttachSocket(dir);
      // Second start-pipe read: conmon's child now runs `runc exec`.
      fs.writeSync(start.parent.value, '0');
    }
    start.parent.close();
    const started = await syncReader.next();
    if (!started) throw new SystemError(`conmon exited without starting exec ${o.execId}`);
    if (started.data < 0) throw new RuntimeStartError('exec', parseRuntimeMessage(started.message ?? 'unknown error'));
    const exitFile = `${dir}/exit/${o.containerId}`;
    const exit = syncReader.next().then(async (m) => {
      syncReader.close();
      if (m && m.data >= 0) return m.data;
      // The pipe closed without a code (conmon killed): fall back to the exit file.
      const code = await readExitFile(exitFile);
      if (code === undefined) throw new SystemError(`exec ${o.execId}: ${m?.message ?? 'conmon exited without an exit code'}`);
      return code;
    });
    return { streams, pid: started.data, exit };
  } catch (e) {
    syncReader.close();
    attachReader?.close();
    streams?.close();
    throw e;
  } finally {
    for (const p of pipes) p.child.close();
    start.parent.close();
  }
}
