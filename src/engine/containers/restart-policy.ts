/**
 * Restart policies (`--restart no|always|unless-stopped|on-failure[:N]`) as
 * dockerd's restart manager applies them: what to do after an exit, after a
 * daemon start, and how long to wait before each restart. Pure.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { ZERO_TIME, type ContainerRecord } from './record.ts';

type PolicyView = Pick<ContainerRecord, 'hostConfig' | 'restartCount' | 'manuallyStopped' | 'state'>;

/** The first restart waits this long; each consecutive one twice the last. */
export const RESTART_BASE_DELAY_MS = 100;
/** dockerd's cap on the back-off. */
export const RESTART_MAX_DELAY_MS = 60_000;

/** dockerd 20.10's checks of a restart policy, with its words (400). */
export function validateRestartPolicy(policy: { Name?: string; MaximumRetryCount?: number } | undefined): void {
  const name = policy?.Name ?? '';
  const count = policy?.MaximumRetryCount ?? 0;
  switch (name) {
    case 'on-failure':
      if (count < 0) throw new InvalidParameterError('maximum retry count cannot be negative');
      return;
    case '':
      return; // no policy asked for: a count alone is ignored
    case 'no':
    case 'always':
    case 'unless-stopped':
      if (count !== 0) throw new InvalidParameterError(`maximum retry count cannot be used with restart policy '${name}'`);
      return;
    default:
      throw new InvalidParameterError(`invalid restart policy '${name}'`);
  }
}

function retriesLeft(record: PolicyView): boolean {
  const max = record.hostConfig.RestartPolicy?.MaximumRetryCount;
  return !max || record.restartCount < max;
}

/** Whether a container that exited with `code` restarts under its policy; a user's stop or kill ends the cycle. */
export function shouldRestart(record: PolicyView, code: number): boolean {
  if (record.manuallyStopped) return false;
  switch (record.hostConfig.RestartPolicy?.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return code !== 0 && retriesLeft(record);
    default:
      return false;
  }
}

/**
 * Whether a stopped container is started when the daemon starts (moby's
 * restore: the restart manager asked afresh). Only one that ran before;
 * `always` even after a manual stop (Docker's documented exception),
 * `unless-stopped` unless stopped by hand, `on-failure` after a failure,
 * a manual stop included, while retries remain.
 */
export function shouldStartAtBoot(record: PolicyView): boolean {
  if (record.state.startedAt === ZERO_TIME) return false;
  switch (record.hostConfig.RestartPolicy?.Name) {
    case 'always':
      return true;
    case 'unless-stopped':
      return !record.manuallyStopped;
    case 'on-failure':
      return record.state.exitCode !== 0 && retriesLeft(record);
    default:
      return false;
  }
}

/** The wait before restart number `restartCount + 1`: 100 ms doubling per consecutive restart, at most a minute. */
export function restartDelay(restartCount: number): number {
  return Math.min(RESTART_BASE_DELAY_MS * 2 ** restartCount, RESTART_MAX_DELAY_MS);
}
