// The RuntimeDriver contract on conmon+runc (root only): the same cases the
// fake passes in src/drivers/runtime/fake-runtime.test.ts, each program a
// busybox command.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConmonRunc } from '../../../src/drivers/runtime/conmon-runc.ts';
import { runtimeDriverContract, type ContractProgram } from '../../../src/drivers/runtime/runtime-contract.ts';
import type { ContainerConfig } from '../../../src/wire/container-config.ts';
import { busyboxRootfs, driverFor, isRoot, newId, specFor } from './harness.ts';

const fx = busyboxRootfs();

function configFor(program: ContractProgram): ContainerConfig {
  switch (program.run) {
    case 'exit':
      return { Cmd: ['sh', '-c', `exit ${program.code}`] };
    case 'forever':
      // PID 1 ignores SIGTERM without a handler, so TERM alone does not stop `sleep` as init.
      return { Cmd: ['sleep', '1000'] };
    case 'trap-term':
      return { Cmd: ['sh', '-c', `trap "exit ${program.code}" TERM; while true; do sleep 0.1; done`] };
    case 'until-released':
      return { Cmd: ['sh', '-c', `read x; exit ${program.code}`], OpenStdin: true, StdinOnce: true };
    case 'missing-command':
      return { Cmd: ['nosuchcmd'] };
  }
}

runtimeDriverContract(
  'conmon+runc',
  (t) => {
    const d = driverFor(t, fx);
    return {
      driver: d.driver,
      reopen: () => new ConmonRunc({ execRoot: d.execRoot }),
      newId: () => d.track(newId()),
      async create(id, program, o = {}) {
        const config = configFor(program);
        await d.driver.create({
          id,
          bundle: d.bundle(id),
          spec: o.spec ?? specFor(fx, id, config),
          logPath: path.join(d.bundle(id), 'ctr.log'),
          tty: false,
          openStdin: config.OpenStdin === true,
          stdinOnce: config.StdinOnce === true,
        });
      },
      async handlerReady(id) {
        // The shell's caught-signal mask (SigCgt) gains SIGTERM (bit 15-1) once its trap is set.
        const { pid } = (await d.driver.state(id))!;
        for (let i = 0; i < 500; i++) {
          const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
          if (m && (BigInt(`0x${m[1]}`) & (1n << 14n)) !== 0n) return;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error(`the trap of ${id} was not set within 5 s`);
      },
      async release(id) {
        // Through the attach socket, as a client of a restarted daemon would.
        const streams = await new ConmonRunc({ execRoot: d.execRoot }).attach(id);
        await new Promise<void>((resolve, reject) => streams.stdin.write('go\n', (err) => (err ? reject(err) : resolve())));
        streams.close();
      },
    };
  },
  { skip: isRoot ? false : 'needs root, runc and conmon' },
);
