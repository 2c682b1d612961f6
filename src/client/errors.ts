/**
 * Errors of the Engine API client. `ApiError` is a non-2xx reply from the
 * daemon carrying its `{"message"}`; `DaemonUnreachableError` is a failure to
 * reach the daemon at all. Only `cli/errors.ts` turns these into text and exit codes.
 */
import { BerthError } from '../util/errors.ts';

export class ApiError extends BerthError {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** The daemon's socket could not be connected to (ENOENT, ECONNREFUSED…). */
export class DaemonUnreachableError extends BerthError {
  readonly host: string;
  constructor(host: string, options?: { cause?: unknown }) {
    // Docker's exact words (client.ErrorConnectionFailed), with our host.
    super(`Cannot connect to the Docker daemon at ${host}. Is the docker daemon running?`, options);
    this.host = host;
  }
}

/** Turn a reply body into Docker's error message: the JSON `message`, else the raw text. */
export function parseErrorBody(statusCode: number, body: string): ApiError {
  let message = body.trim();
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      message = (parsed as { message: string }).message;
    }
  } catch {
    // Not JSON: docker shows the raw text body, so do we.
  }
  if (message === '') message = `page not found`;
  return new ApiError(statusCode, message);
}
