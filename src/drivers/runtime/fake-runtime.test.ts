// The fake runtime: the RuntimeDriver contract (the same cases conmon+runc
// passes), then the controls a lifecycle test uses (exits, injected
// failures, the call log).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SystemError } from '../../util/errors.ts';
import { FakeRuntime, signalNumber, type FakeProgram } from './fake-runtime.ts';
import { runtimeDriverContract, type ContractProgram } from './runtime-contract.ts';
import type { CreateOptions } from './runtime.ts';
import type { OciSpec } from './spec/types.ts';

const SPEC: OciSpec = { ociVersion: '1.0.2', process: { user: { uid: 0, gid: 0 }, args: ['fake'], cwd: '/' }, root: { path: '/fake' }, mounts: [], linux: {} };

function options(id: string, spec: OciSpec | Promise<OciSpec> = SPEC): CreateOptions {
  return { id, bundle: `/fake/${id}`, spec, logPath: '/dev/null', tty: false, openStdin: false, stdinOnce: false };
}

function asFakeProgram(program: ContractProgram): FakeProgram {
  switch (program.run) {
    case 'exit':
      return { exitAtStart: program.code };
    case 'forever':
    case 'until-released':
      return {};
    case 'trap-term':
      return { traps: { 15: program.code } };
    case 'missing-command':
      return { notFound: true };
  }
}

runtimeDriverContract('fake', () => {
  const fake = new FakeRuntime();
  const codes = new Map<string, number>();
  return {
    driver: fake,
    reopen: () => fake.reopen(),
    newId: () => randomBytes(32).toString('hex'),
    async create(id, program, o = {}) {
      fake.program(id, asFakeProgram(program));
      if (program.run === 'until-released') codes.set(id, program.code);
      await fake.create(options(id, o.spec));
    },
    async release(id) {
      fake.exit(id, codes.get(id) ?? 0);
    },
  };
});

describe('FakeRuntime controls', () => {
  test('exit(id, code) ends a running container and wakes every waiter, from any instance', async () => {
    const fake = new FakeRuntime();
    await fake.create(options('a'));
    await fake.start('a');
    const waits = [fake.waitExit('a'), fake.reopen().waitExit('a')];
    fake.exit('a', 42);
    assert.deepEqual(await Promise.all(waits), [42, 42]);
    assert.deepEqual(await fake.state('a'), { status: 'stopped', pid: 0 });
  });

  test('exit of a container with no live process is a mistake in the test', async () => {
    const fake = new FakeRuntime();
    assert.throws(() => fake.exit('nope', 0), /no live process/);
  });

  test('an injected failure fails the next call of that operation only, and the call is still logged', async () => {
    const fake = new FakeRuntime();
    await fake.create(options('a'));
    const boom = new SystemError('runc start failed: boom');
    fake.fail('start', boom);
    await assert.rejects(fake.start('a'), boom);
    assert.equal((await fake.state('a'))?.status, 'created');
    await fake.start('a');
    assert.equal((await fake.state('a'))?.status, 'running');
    assert.deepEqual(fake.ops('a'), ['create', 'start', 'state', 'start', 'state']);
  });

  test('an injected failure can target one container and repeat', async () => {
    const fake = new FakeRuntime();
    fake.fail('create', new SystemError('no'), { id: 'b', times: 2 });
    await fake.create(options('a'));
    await assert.rejects(fake.create(options('b')), /no/);
    await assert.rejects(fake.create(options('b')), /no/);
    await fake.create(options('b'));
    assert.equal(await fake.hasState('b'), true);
  });

  test('failures can be injected into delete and cleanup (teardown paths)', async () => {
    const fake = new FakeRuntime();
    fake.fail('delete');
    fake.fail('cleanup');
    await assert.rejects(fake.delete('a', true), /fake delete failed/);
    await assert.rejects(fake.cleanup('a'), /fake cleanup failed/);
    await fake.delete('a', true);
    await fake.cleanup('a');
  });

  test('the call log keeps every call in order with its arguments', async () => {
    const fake = new FakeRuntime();
    await fake.create(options('a'));
    await fake.start('a');
    await fake.kill('a', 'TERM');
    await fake.kill('a', 'KILL', true);
    await fake.delete('a', true);
    await fake.cleanup('a');
    assert.deepEqual(
      fake.calls.filter((c) => c.op !== 'create').map((c) => [c.op, c.id, ...c.args]),
      [['start', 'a'], ['kill', 'a', 'TERM', false], ['kill', 'a', 'KILL', true], ['delete', 'a', true], ['cleanup', 'a']],
    );
  });

  test('update records the limits of a live container', async () => {
    const fake = new FakeRuntime();
    await fake.create(options('a'));
    await fake.start('a');
    await fake.update('a', { memory: { limit: 1 << 20 } });
    assert.deepEqual(fake.resources('a'), { memory: { limit: 1 << 20 } });
  });

  test('attach receives what the test writes as output and ends when the process exits', async () => {
    const fake = new FakeRuntime();
    await fake.create(options('a'));
    const streams = await fake.attach('a');
    const got: string[] = [];
    streams.onOutput((stream, data) => got.push(`${stream}:${data.toString()}`));
    const ended = new Promise<void>((r) => streams.onEnd(r));
    await fake.start('a');
    fake.output('a', 1, 'out');
    fake.output('a', 2, 'err');
    fake.exit('a', 0);
    await ended;
    assert.deepEqual(got, ['1:out', '2:err']);
  });

  test('an exec runs until exitExec, and is refused in a container that is not running', async () => {
    const fake = new FakeRuntime();
    await fake.create(options('a'));
    const process = SPEC.process;
    await assert.rejects(fake.exec({ containerId: 'a', execId: 'e0', process, tty: false, openStdin: false, logPath: '/dev/null' }, false), /stopped/);
    await fake.start('a');
    const run = await fake.exec({ containerId: 'a', execId: 'e1', process, tty: false, openStdin: false, logPath: '/dev/null' }, true);
    assert.ok(run.streams);
    assert.ok(run.pid > 0);
    fake.exitExec('e1', 5);
    assert.equal(await run.exit, 5);
  });

  test('signals are taken by name, with or without SIG, and by number', () => {
    assert.deepEqual(['TERM', 'SIGTERM', 'sigterm', '15', 15].map(signalNumber), [15, 15, 15, 15, 15]);
    assert.equal(signalNumber('KILL'), 9);
    assert.throws(() => signalNumber('NOPE'), /invalid signal/);
  });
});
