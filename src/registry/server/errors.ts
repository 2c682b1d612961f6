/**
 * The registry's error codes (spec.md "Error Codes") and their HTTP statuses:
 * the one table. Handlers throw `RegistryError`; the server writes the body
 * `{"errors":[{"code","message","detail"}]}` once.
 */
import { BerthError, ForbiddenError, InvalidParameterError, NotFoundError, UnauthorizedError } from '../../util/errors.ts';

export const ERROR_CODES = {
  BLOB_UNKNOWN: { status: 404, message: 'blob unknown to registry' },
  BLOB_UPLOAD_INVALID: { status: 400, message: 'blob upload invalid' },
  BLOB_UPLOAD_UNKNOWN: { status: 404, message: 'blob upload unknown to registry' },
  DIGEST_INVALID: { status: 400, message: 'provided digest did not match uploaded content' },
  MANIFEST_BLOB_UNKNOWN: { status: 404, message: 'manifest references a manifest or blob unknown to registry' },
  MANIFEST_INVALID: { status: 400, message: 'manifest invalid' },
  MANIFEST_UNKNOWN: { status: 404, message: 'manifest unknown' },
  NAME_INVALID: { status: 400, message: 'invalid repository name' },
  NAME_UNKNOWN: { status: 404, message: 'repository name not known to registry' },
  SIZE_INVALID: { status: 400, message: 'provided length did not match content length' },
  UNAUTHORIZED: { status: 401, message: 'authentication required' },
  DENIED: { status: 403, message: 'requested access to the resource is denied' },
  UNSUPPORTED: { status: 405, message: 'The operation is unsupported.' },
  TOOMANYREQUESTS: { status: 429, message: 'too many requests' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class RegistryError extends BerthError {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly detail?: unknown,
    status?: number,
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.status = status ?? ERROR_CODES[code].status;
  }
}

/** The project's error kinds mapped to OCI codes (STYLE.md "Errors"). */
export function toRegistryError(err: unknown): RegistryError | undefined {
  if (err instanceof RegistryError) return err;
  if (err instanceof UnauthorizedError) return new RegistryError('UNAUTHORIZED', err.message);
  if (err instanceof ForbiddenError) return new RegistryError('DENIED', err.message);
  if (err instanceof NotFoundError) return new RegistryError('NAME_UNKNOWN', err.message);
  if (err instanceof InvalidParameterError) return new RegistryError('UNSUPPORTED', err.message, undefined, 400);
  return undefined;
}

export function errorBody(err: RegistryError): string {
  const entry: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.detail !== undefined) entry['detail'] = err.detail;
  return JSON.stringify({ errors: [entry] });
}
