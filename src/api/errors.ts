/**
 * The only error-kind → HTTP status table. Routes never pick a status for an
 * error; anything not classified is a 500, logged with its stack.
 */
import {
  BerthError,
  ConflictError,
  ForbiddenError,
  InvalidParameterError,
  NotFoundError,
  NotImplementedError,
  NotModifiedError,
  UnauthorizedError,
  UnavailableError,
} from '../util/errors.ts';

/** A request body past the API's bound (413); only the API layer knows request sizes. */
export class RequestTooLargeError extends BerthError {}

const TABLE: Array<[new (...args: never[]) => Error, number]> = [
  [NotFoundError, 404],
  [InvalidParameterError, 400],
  [ConflictError, 409],
  [NotModifiedError, 304],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [UnavailableError, 503],
  [NotImplementedError, 501],
  [RequestTooLargeError, 413],
];

export function statusOf(err: unknown): number {
  for (const [kind, status] of TABLE) if (err instanceof kind) return status;
  return 500;
}
