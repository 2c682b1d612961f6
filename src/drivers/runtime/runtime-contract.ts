/**
 * The RuntimeDriver contract suite, FOR TESTS ONLY: one set of node:test
 * cases run on every implementation (the fake in
 * `fake-runtime.test.ts`, conmon+runc in
 * `test/integration/runtime/conmon-runc-contract.test.ts`), so the fake the
 * lifecycle's unit tests use behaves as the real driver does on every point
 * the lifecycle relies on.
 *
 * A driver is tested through a *subject* that knows how to make it run a few
 * programs (an exit code at once, a process that runs until killed, one
 * trapping SIGTERM, one that waits for the test): what each implementation
 * needs for that (a rootfs and a spec, or a fake's program) stays in its own
 * test file. What one implementation cannot model honestly (terminals, log
 * files, exec) is tested in that implementation's own file, not here.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError } from '../../util/errors.ts';
import { RuntimeStartError } from './runtime-errors.ts';
import type { OciSpec } from './spec/types.ts';
import type { RuntimeDriver } from './runtime.ts';

/** What a contract case runs as the container's process. */
export type ContractProgram =
  /** Ends with `code` as soon as it is started. */
  | { run: 'exit'; code: number }
  /** Runs until killed; as PID 1 without handlers, only SIGKILL ends it. */
  | { run: 'forever' }
  /** Runs until SIGTERM, which its handler answers by exiting with `code`. */
  | { run: 'trap-term'; code: number }
  /** Runs until the test calls `release`, then exits with `code`. */
  | { run: 'until-released'; code: number }
  /** Names a command that is not in the image. */
  | { run: 'missing-command' };

export interface RuntimeContractSubject {
  driver: RuntimeDriver;
  /** A second driver over the same state, as a restarted daemon builds it. */
  reopen(): RuntimeDriver;
  /** A container ID no other test uses. */
  newId(): string;
  /** Create `id` to run `program` (with `spec` instead of the generated spec when given). */
  create(id: string, program: ContractProgram, options?: { spec?: Promise<OciSpec> }): Promise<void>;
  /** Let an `until-released` process exit. */
  release(id: string): Promise<void>;
  /**
   * Resolves once a started `trap-term` program has installed its handler
   * (a TERM before it would be ignored by a PID 1 without one). Absent: at once.
   */
  handlerReady?(id: string): Promise<void>;
}

export interface RuntimeContractOptions {
  /** Skip the whole suite, with the reason (a driver that needs root). */
  skip?: string | false;
}

/** How long a process that should ignore a signal is watched before concluding it did. */
const IGNORED_SIGNAL_MS = 300;

/**
 * Register the contract's cases under `describe(name)`. `makeSubject` is
 * called once per case and must undo what the case made in `t.after`.
 */
export function runtimeDriverContract(
  name: string,
  makeSubject: (t: TestContext) => RuntimeContractSubject | Promise<RuntimeContractSubject>,
  options: RuntimeContractOptions = {},
): void {
  describe(`RuntimeDriver contract: ${name}`, { skip: options.skip ?? false }, () => {
    test('create leaves the process created with an init PID; start runs it to its exit', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'exit', code: 0 });
      assert.equal((await s.driver.state(id))?.status, 'created');
      assert.equal(await s.driver.hasState(id), true);
      assert.ok(((await s.driver.initPid(id)) ?? 0) > 0, 'an init PID once created');
      assert.equal(await s.driver.exitCode(id), undefined);
      const exit = s.driver.waitExit(id);
      await s.driver.start(id);
      assert.equal(await exit, 0);
      assert.equal(await s.driver.exitCode(id), 0);
      assert.deepEqual(await s.driver.state(id), { status: 'stopped', pid: 0 });
    });

    test('the process\'s exit code is what waitExit and exitCode report', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'exit', code: 3 });
      const exit = s.driver.waitExit(id);
      await s.driver.start(id);
      assert.equal(await exit, 3);
      assert.equal(await s.driver.exitCode(id), 3);
    });

    test('a running container reports running with its init PID, which is its only process', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.start(id);
      const state = await s.driver.state(id);
      assert.equal(state?.status, 'running');
      assert.ok((state?.pid ?? 0) > 0);
      assert.equal(state?.pid, await s.driver.initPid(id));
      assert.deepEqual(await s.driver.pids(id), [state?.pid]);
    });

    test('pause makes the state paused and resume running again', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.start(id);
      await s.driver.pause(id);
      assert.equal((await s.driver.state(id))?.status, 'paused');
      await s.driver.resume(id);
      assert.equal((await s.driver.state(id))?.status, 'running');
    });

    test('SIGTERM leaves an init without a handler running; SIGKILL ends it with 137', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.start(id);
      const exit = s.driver.waitExit(id);
      await s.driver.kill(id, 'SIGTERM');
      // No event says a signal was ignored: the process is watched for a bounded time.
      const early = await Promise.race([exit, new Promise<string>((r) => setTimeout(() => r('still running'), IGNORED_SIGNAL_MS))]);
      assert.equal(early, 'still running');
      await s.driver.kill(id, 'KILL', true);
      assert.equal(await exit, 137);
      assert.equal((await s.driver.state(id))?.status, 'stopped');
    });

    test('a signal given by number reaches the process\'s handler, whose exit code waitExit reports', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'trap-term', code: 143 });
      await s.driver.start(id);
      await s.handlerReady?.(id);
      const exit = s.driver.waitExit(id);
      await s.driver.kill(id, 15);
      assert.equal(await exit, 143);
    });

    test('SIGKILL ends a paused container without a resume', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.start(id);
      await s.driver.pause(id);
      const exit = s.driver.waitExit(id);
      await s.driver.kill(id, 'KILL');
      assert.equal(await exit, 137);
      assert.equal((await s.driver.state(id))?.status, 'stopped');
    });

    test('another signal sent to a paused container reaches it once resumed', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'trap-term', code: 143 });
      await s.driver.start(id);
      await s.handlerReady?.(id);
      await s.driver.pause(id);
      const exit = s.driver.waitExit(id);
      await s.driver.kill(id, 'TERM');
      const early = await Promise.race([exit, new Promise<string>((r) => setTimeout(() => r('still paused'), IGNORED_SIGNAL_MS))]);
      assert.equal(early, 'still paused');
      assert.equal((await s.driver.state(id))?.status, 'paused');
      await s.driver.resume(id);
      assert.equal(await exit, 143);
    });

    test('kill of an exited container does nothing; kill of an unknown one is NotFoundError', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'exit', code: 0 });
      const exit = s.driver.waitExit(id);
      await s.driver.start(id);
      await exit;
      await s.driver.kill(id, 'KILL');
      assert.equal(await s.driver.exitCode(id), 0);
      await assert.rejects(s.driver.kill(s.newId(), 'KILL'), NotFoundError);
    });

    test('a second start of a running container is refused', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.start(id);
      await assert.rejects(s.driver.start(id), /already running|not in created state/);
      assert.equal((await s.driver.state(id))?.status, 'running');
    });

    test('delete refuses a running container without force; forced, it ends it (137)', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.start(id);
      const exit = s.driver.waitExit(id);
      await assert.rejects(s.driver.delete(id), /not stopped/);
      assert.equal((await s.driver.state(id))?.status, 'running');
      await s.driver.delete(id, true);
      assert.equal(await exit, 137);
      assert.equal(await s.driver.hasState(id), false);
    });

    test('delete and cleanup are idempotent and leave no state, no exit code and nothing to wait for', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'exit', code: 4 });
      const exit = s.driver.waitExit(id);
      await s.driver.start(id);
      assert.equal(await exit, 4);
      await s.driver.delete(id);
      await s.driver.delete(id);
      await s.driver.delete(id, true);
      assert.equal(await s.driver.hasState(id), false);
      assert.equal(await s.driver.state(id), undefined);
      // The monitor's exit record outlives the runtime's record until cleanup.
      assert.equal(await s.driver.exitCode(id), 4);
      await s.driver.cleanup(id);
      await s.driver.cleanup(id);
      assert.equal(await s.driver.exitCode(id), undefined);
      await assert.rejects(s.driver.waitExit(id), NotFoundError);
    });

    test('a created container that is never started is ended by delete', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.delete(id);
      assert.equal(await s.driver.hasState(id), false);
      assert.equal(await s.driver.state(id), undefined);
    });

    test('after delete and cleanup the same ID can be created and run again (a restart)', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'exit', code: 1 });
      const first = s.driver.waitExit(id);
      await s.driver.start(id);
      assert.equal(await first, 1);
      await s.driver.delete(id, true);
      await s.driver.cleanup(id);
      await s.create(id, { run: 'exit', code: 2 });
      assert.equal(await s.driver.exitCode(id), undefined, 'the previous exit code is gone');
      const second = s.driver.waitExit(id);
      await s.driver.start(id);
      assert.equal(await second, 2);
    });

    test('create of an ID the runtime already holds fails and leaves the first container alone', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.start(id);
      await assert.rejects(s.create(id, { run: 'exit', code: 0 }));
      assert.equal((await s.driver.state(id))?.status, 'running');
    });

    test('a new driver instance re-adopts a running container: state, then waitExit when it ends (daemon restart)', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'until-released', code: 7 });
      await s.driver.start(id);
      const restarted = s.reopen();
      assert.equal((await restarted.state(id))?.status, 'running');
      assert.equal(await restarted.hasState(id), true);
      assert.equal(await restarted.exitCode(id), undefined);
      const exit = restarted.waitExit(id);
      await s.release(id);
      assert.equal(await exit, 7);
      assert.equal(await restarted.exitCode(id), 7);
    });

    test('a new driver instance finds the exit code of a container that ended while no daemon ran', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'exit', code: 9 });
      const exit = s.driver.waitExit(id);
      await s.driver.start(id);
      await exit;
      const restarted = s.reopen();
      assert.equal((await restarted.state(id))?.status, 'stopped');
      assert.equal(await restarted.exitCode(id), 9);
      assert.equal(await restarted.waitExit(id), 9);
    });

    test('waitExit stops waiting when its signal aborts, and the process runs on', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await s.create(id, { run: 'forever' });
      await s.driver.start(id);
      const ac = new AbortController();
      const waiting = s.driver.waitExit(id, ac.signal);
      ac.abort(new Error('gave up'));
      await assert.rejects(waiting, /gave up/);
      assert.equal((await s.driver.state(id))?.status, 'running');
    });

    test('an unknown ID has no state, no record, no exit code, and nothing to wait for', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      assert.equal(await s.driver.state(id), undefined);
      assert.equal(await s.driver.hasState(id), false);
      assert.equal(await s.driver.exitCode(id), undefined);
      await assert.rejects(s.driver.waitExit(id), NotFoundError);
      await assert.rejects(s.driver.pids(id), NotFoundError);
      // Removing what is not there is not an error: teardown runs after every failure.
      await s.driver.delete(id, true);
      await s.driver.cleanup(id);
    });

    test('a command missing from the image fails create with exit code 127 and leaves no runtime record', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      await assert.rejects(s.create(id, { run: 'missing-command' }), (e: unknown) => {
        assert.ok(e instanceof RuntimeStartError, String(e));
        assert.equal(e.kind, 'not-found');
        assert.equal(e.exitCode, 127);
        assert.match(e.message, /^failed to create shim task: OCI runtime create failed: .*executable file not found.*: unknown$/);
        return true;
      });
      assert.equal(await s.driver.hasState(id), false);
    });

    test('a spec that fails fails create with its error and leaves nothing behind', async (t) => {
      const s = await makeSubject(t);
      const id = s.newId();
      const spec = Promise.reject(new Error('no spec for you'));
      spec.catch(() => undefined); // the driver reports it; it must not count as unhandled before
      await assert.rejects(s.create(id, { run: 'forever' }, { spec }), /no spec for you/);
      assert.equal(await s.driver.hasState(id), false);
      assert.equal(await s.driver.state(id), undefined);
      await assert.rejects(s.driver.waitExit(id), NotFoundError);
    });
  });
}
