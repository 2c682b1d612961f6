/** Docker's messages for container errors, built in one place. */
import { ConflictError, InvalidParameterError, NotFoundError } from '../../util/errors.ts';

export const noSuchContainer = (ref: string) => new NotFoundError(`No such container: ${ref}`);

export const nameInUse = (name: string, holder: string) =>
  new ConflictError(
    `Conflict. The container name "${name}" is already in use by container "${holder}". You have to remove (or rename) that container to be able to reuse that name.`,
  );

export const invalidName = (name: string) =>
  new InvalidParameterError(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);

export const removeRunning = (id: string) =>
  new ConflictError(
    `You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`,
  );

export const removePaused = (id: string) =>
  new ConflictError(
    `You cannot remove a paused container ${id}. Unpause and then stop the container before attempting removal or force remove`,
  );

export const removeRestarting = (id: string) =>
  new ConflictError(
    `You cannot remove a restarting container ${id}. Stop the container before attempting removal or force remove`,
  );

export const markedForRemoval = () => new ConflictError('container is marked for removal and cannot be started');

export const notRunning = (id: string) => new ConflictError(`Container ${id} is not running`);
export const isPaused = (id: string) =>
  new ConflictError(`Container ${id} is paused, unpause the container before stopping or killing`);
export const notPaused = (id: string) => new ConflictError(`Container ${id} is not paused`);
export const alreadyPaused = (id: string) => new ConflictError(`Container ${id} is already paused`);
export const removalInProgress = (id: string) =>
  new ConflictError(`removal of container ${id} is already in progress`);

export const ambiguousPrefix = (prefix: string) =>
  new InvalidParameterError(`multiple IDs found with provided prefix: ${prefix}`);
