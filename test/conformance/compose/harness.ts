/**
 * What a compose conformance case gets: `compose(args)` runs `berth compose`
 * with the case's directory, its own project name and the environment
 * (PORT, a free host port) against the test's daemon; helpers read the
 * daemon's state through the API. A case is a directory holding its
 * compose.yaml (and files) and check.ts exporting `check(c)`.
 */
import type { Daemon } from '../../helpers/daemon.ts';
import type { CliResult } from '../../helpers/daemon.ts';

export interface ComposeCase {
  dir: string;
  project: string;
  port: number;
  daemon: Daemon;
  /** Run against the reference Docker engine (BERTH_COMPOSE_REFERENCE=1): no daemon restarts. */
  reference: boolean;
  compose(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** The same with another compose file of the case's directory in place of compose.yaml. */
  composeFile(file: string, args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** The project's containers (all states) by name. */
  containers(): Promise<{ Id: string; Names: string[]; State: string; Labels: Record<string, string> }[]>;
  networks(): Promise<{ Name: string; Id: string }[]>;
  volumes(): Promise<{ Name: string }[]>;
  /**
   * Makes debian:bookworm-slim present on the engine (bootstrapped from the
   * host's Debian mirror once per run, the .debs cached in DEBIAN_CACHE;
   * loaded into the reference engine from a scratch berthd). Resolves to
   * why it cannot, e.g. the mirror does not answer: the case then calls skip.
   */
  debianImage(): Promise<string | undefined>;
  /** Marks the case skipped (saying why) and returns: its down -v still runs. */
  skip(reason: string): void;
}

export type Check = (c: ComposeCase) => Promise<void>;
