/**
 * The one place that turns errors into what the user sees and an exit code,
 * as the docker CLI does: `Error response from daemon: …` for API errors,
 * Docker's connection message, StatusError for usage errors (125) and for a
 * container's own exit status (run, start -a, wait, attach).
 */
import { ApiError, DaemonUnreachableError } from '../client/errors.ts';

/** An error with a chosen exit code; an empty message prints nothing (docker's cli.StatusError). */
export class StatusError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

/** Docker's wording for an error coming back from the API client. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return `Error response from daemon: ${err.message}`;
  if (err instanceof DaemonUnreachableError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** What to print on stderr and the exit code for an error that ends the CLI. */
export function reportError(err: unknown): { text: string; code: number } {
  if (err instanceof StatusError) return { text: err.message, code: err.statusCode || 1 };
  return { text: describeError(err), code: 1 };
}

/** Docker's run/create decoration: `docker: <err>\n\nRun 'docker run --help' for more information`. */
export function withHelp(bin: string, message: string, command: string): string {
  return `${bin}: ${message}\n\nRun '${bin} ${command} --help' for more information`;
}

/**
 * The exit code for a failed create/start in `run`: 127 when the command is
 * not found, 126 when it cannot be invoked, else 125 (docker's toStatusError).
 */
export function runStatusError(bin: string, err: unknown): StatusError {
  const msg = describeError(err);
  const text = withHelp(bin, msg, 'run');
  if (msg.includes('executable file not found') || msg.includes('no such file or directory') || msg.includes('system cannot find the file specified')) {
    return new StatusError(text, 127);
  }
  if (msg.includes('permission denied') || msg.includes('is a directory')) return new StatusError(text, 126);
  return new StatusError(text, 125);
}

/** Several targets (stop a b c): one line per failure, exit 1, as docker does. */
export class MultiError extends StatusError {
  constructor(errors: unknown[]) {
    super(errors.map(describeError).join('\n'), 1);
  }
}

/** Run `fn` for each target, printing successes via `done`, collecting failures. */
export async function forEachTarget(targets: string[], fn: (t: string) => Promise<void>): Promise<void> {
  const errors: unknown[] = [];
  for (const t of targets) {
    try {
      await fn(t);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length) throw new MultiError(errors);
}
