/**
 * The one error hierarchy of Berth. Every layer throws these; only
 * `src/api/errors.ts` maps a kind to an HTTP status, and only `src/cli/errors.ts`
 * maps one to an exit code. Messages use Docker's words.
 */
export class BerthError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The object named does not exist (404). */
export class NotFoundError extends BerthError {}
/** The request is malformed or names an invalid value (400). */
export class InvalidParameterError extends BerthError {}
/** The request conflicts with the object's state, e.g. a name in use (409). */
export class ConflictError extends BerthError {}
/** Nothing to do: the object is already in the requested state (304). */
export class NotModifiedError extends BerthError {}
/** Credentials are missing or wrong (401). */
export class UnauthorizedError extends BerthError {}
/** The operation is not allowed (403). */
export class ForbiddenError extends BerthError {}
/** A dependency is unavailable; try again later (503). */
export class UnavailableError extends BerthError {}
/** The feature is not implemented by Berth (501). */
export class NotImplementedError extends BerthError {}
/** Something failed inside the engine or an external command (500). */
export class SystemError extends BerthError {}

/** Narrow an unknown thrown value to an Error. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** True when `err` is a Node system error with the given code (ENOENT, EEXIST…). */
export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
