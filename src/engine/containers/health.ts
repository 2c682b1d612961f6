/**
 * Health checks, as dockerd runs them (moby `daemon/health.go`): while a
 * container with a healthcheck runs, its test is run as an exec every
 * `Interval` after the previous probe ended, killed after `Timeout`.
 *
 * - Status starts as "starting". A probe that exits 0 makes it "healthy"
 *   and resets the failing streak. Any other result adds to the streak,
 *   except while the container is still "starting" within its
 *   `StartPeriod`. `Retries` failures in a row make it "unhealthy".
 * - The last five results are kept, each with its output cut to 4096 bytes.
 * - A change of status is announced as "health_status: <status>".
 */
import type { HealthConfig } from '../../wire/container-config.ts';
import { log } from '../../util/log.ts';
import type { EventsService } from '../events/events-service.ts';
import type { ContainerRecord, HealthState } from './record.ts';
import { nowRfc3339Nano } from '../../util/timestamp.ts';

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
const MAX_LOG_ENTRIES = 5;
const MAX_OUTPUT_BYTES = 4096;

/** The command a healthcheck runs, or undefined when there is none (no test, or NONE). */
export function healthCommand(check: HealthConfig | undefined): string[] | undefined {
  const test = check?.Test;
  if (!test || test.length === 0) return undefined;
  switch (test[0]) {
    case 'CMD':
      return test.length > 1 ? test.slice(1) : undefined;
    case 'CMD-SHELL':
      return test.length > 1 ? ['/bin/sh', '-c', test[1]!] : undefined;
    default:
      // NONE, and anything dockerd would not run.
      return undefined;
  }
}

const ms = (ns: number | undefined, fallback: number): number => (ns && ns > 0 ? Math.round(ns / 1e6) : fallback);

/** What the monitor needs of the engine: a way to probe and to save. */
export interface HealthHost {
  probe(containerId: string, cmd: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }>;
  save(record: ContainerRecord): Promise<void>;
  events: EventsService;
  eventAttributes(record: ContainerRecord): Record<string, string>;
}

export class HealthMonitor {
  private readonly running = new Map<string, { timer?: NodeJS.Timeout; stopped: boolean }>();

  constructor(private readonly host: HealthHost) {}

  /**
   * Begin probing a container that has just started (its health set back to
   * "starting"), or, with `resume`, one re-adopted by a new daemon.
   */
  start(record: ContainerRecord, options: { resume?: boolean } = {}): void {
    this.stop(record.id);
    const cmd = healthCommand(record.config.Healthcheck);
    if (!cmd) {
      delete record.state.health;
      return;
    }
    if (!options.resume || !record.state.health) {
      record.state.health = { Status: 'starting', FailingStreak: 0, Log: record.state.health?.Log ?? [] };
    }
    const run = { stopped: false } as { timer?: NodeJS.Timeout; stopped: boolean };
    this.running.set(record.id, run);
    this.schedule(record, cmd, run);
  }

  /** Stop probing (the container exited or is removed). */
  stop(id: string): void {
    const run = this.running.get(id);
    if (!run) return;
    run.stopped = true;
    clearTimeout(run.timer);
    this.running.delete(id);
  }

  private schedule(record: ContainerRecord, cmd: string[], run: { timer?: NodeJS.Timeout; stopped: boolean }): void {
    const check = record.config.Healthcheck;
    run.timer = setTimeout(() => {
      void this.probe(record, cmd, run)
        .catch((err) => log.warn('health probe failed', { id: record.id, err }))
        .finally(() => {
          if (!run.stopped) this.schedule(record, cmd, run);
        });
    }, ms(check?.Interval, DEFAULT_INTERVAL_MS));
    run.timer.unref();
  }

  private async probe(record: ContainerRecord, cmd: string[], run: { stopped: boolean }): Promise<void> {
    // A paused container is not probed.
    if (record.state.status !== 'running') return;
    const check = record.config.Healthcheck;
    const start = new Date();
    const startText = nowRfc3339Nano();
    let result: { exitCode: number; output: string };
    try {
      result = await this.host.probe(record.id, cmd, ms(check?.Timeout, DEFAULT_TIMEOUT_MS));
    } catch (err) {
      result = { exitCode: -1, output: (err as Error).message };
    }
    const health = record.state.health;
    if (run.stopped || !health) return;
    const before = health.Status;
    if (result.exitCode === 0) {
      health.FailingStreak = 0;
      health.Status = 'healthy';
    } else {
      const withinStart = health.Status === 'starting' && start.getTime() - Date.parse(record.state.startedAt) < ms(check?.StartPeriod, 0);
      if (!withinStart) {
        health.FailingStreak++;
        if (health.FailingStreak >= (check?.Retries && check.Retries > 0 ? check.Retries : DEFAULT_RETRIES)) health.Status = 'unhealthy';
      }
    }
    health.Log = [...health.Log, { Start: startText, End: nowRfc3339Nano(), ExitCode: result.exitCode, Output: truncate(result.output) }].slice(-MAX_LOG_ENTRIES);
    await this.host.save(record);
    if (health.Status !== before) this.host.events.publish('container', `health_status: ${health.Status}`, record.id, this.host.eventAttributes(record));
  }
}

function truncate(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= MAX_OUTPUT_BYTES ? text : bytes.subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
}

export type { HealthState };
