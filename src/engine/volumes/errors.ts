/**
 * Docker's messages for volume errors, in one place. dockerd wraps a
 * volume error with the operation and the name (`create NAME: …`,
 * `get NAME: …`, `remove NAME: …`); words and kinds (so statuses) as the
 * reference dockerd 20.10 answers them, checked side by side.
 */
import { ConflictError, InvalidParameterError, NotFoundError, SystemError } from '../../util/errors.ts';

export const noSuchVolume = (name: string) => new NotFoundError(`get ${name}: no such volume`);

export const unknownDriver = (name: string, driver: string) =>
  new NotFoundError(`create ${name}: error looking up volume plugin ${driver}: plugin "${driver}" not found`);

export const volumeInUse = (name: string, users: readonly string[]) =>
  new ConflictError(`remove ${name}: volume is in use - [${users.join(', ')}]`);

/** dockerd's filters error for a key it does not take. */
export const invalidFilterKey = (key: string) => new InvalidParameterError(`Invalid filter '${key}'`);

/** dockerd's filters error for a value it cannot read (Go prints the values as `[a b]`). */
export const invalidFilterValue = (key: string, values: readonly string[]) =>
  new InvalidParameterError(`Invalid filter '${key}=[${values.join(' ')}]'`);

export const mountFailed = (mountpoint: string, cause: Error) =>
  new SystemError(`error while mounting volume '${mountpoint}': failed to mount local volume: ${cause.message}`, { cause });
