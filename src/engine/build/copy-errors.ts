/**
 * COPY and ADD failures in the classic builder's words (Docker 20.10,
 * checked side by side), and in BuildKit's for what only BuildKit has
 * (`--chmod`, `--checksum`, heredocs).
 */
import { ForbiddenError, InvalidParameterError, NotFoundError, SystemError, UnauthorizedError } from '../../util/errors.ts';

type Instruction = 'COPY' | 'ADD';

/** moby wraps source errors as `<INSTRUCTION> failed: …`. */
export function copyFailed(instruction: Instruction, message: string, cause?: unknown): InvalidParameterError {
  return new InvalidParameterError(`${instruction} failed: ${message}`, { cause });
}

export function outsideContext(instruction: Instruction, source: string): InvalidParameterError {
  return copyFailed(instruction, `forbidden path outside the build context: ${source} ()`);
}

export function notInContext(instruction: Instruction, source: string): InvalidParameterError {
  return copyFailed(instruction, `file not found in build context or excluded by .dockerignore: stat ${source}: file does not exist`);
}

export function notInImage(instruction: Instruction, source: string): InvalidParameterError {
  return copyFailed(instruction, `stat ${source}: file does not exist`);
}

export function noSourceFiles(instruction: Instruction): InvalidParameterError {
  return copyFailed(instruction, 'no source files were specified');
}

export function urlForCopy(): InvalidParameterError {
  return copyFailed('COPY', "source can't be a URL for COPY");
}

export function destNotDirectory(instruction: Instruction): InvalidParameterError {
  return new InvalidParameterError(`When using ${instruction} with more than one source file, the destination must be a directory and end with a /`);
}

/** A `--chown` that cannot be resolved (moby's parseChownFlag, wrapped as the classic builder wraps it). */
export function badChown(message: string): InvalidParameterError {
  return new InvalidParameterError(`unable to convert uid/gid chown string to host mapping: ${message}`);
}

export function badChmod(chmod: string): InvalidParameterError {
  return new InvalidParameterError(`invalid chmod parameter: '${chmod}'. it should be octal string and between 0 and 07777`);
}

export function badChecksumUse(what: 'COPY' | 'multiple sources' | 'non-HTTP(S) sources'): InvalidParameterError {
  return new InvalidParameterError(`checksum can't be specified for ${what}`);
}

export function digestMismatch(url: string, got: string, expected: string): InvalidParameterError {
  return new InvalidParameterError(`digest mismatch for ${url}: ${got} (expected: ${expected})`);
}

/** moby's GetWithStatusError: `failed to GET <url> with status <code> <text>: <body>`, the kind after the status. */
export function downloadStatus(instruction: Instruction, url: string, status: number, statusText: string, body: string): Error {
  const message = `${instruction} failed: failed to GET ${url} with status ${status} ${statusText}: ${body.trim()}`;
  if (status === 404) return new NotFoundError(message);
  if (status === 400) return new InvalidParameterError(message);
  if (status === 401) return new UnauthorizedError(message);
  if (status === 403) return new ForbiddenError(message);
  return new SystemError(message);
}

export function downloadFailed(instruction: Instruction, url: string, reason: string, cause?: unknown): SystemError {
  return new SystemError(`${instruction} failed: Get "${url}": ${reason}`, { cause });
}
