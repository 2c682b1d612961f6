/** Docker's image error messages (daemon/images, daemon/errors.go). */
import { ConflictError, InvalidParameterError, NotFoundError } from '../../util/errors.ts';
import { familiarName, parseReference, withDefaultTag } from '../../oci/reference.ts';

/** `No such image: busybox:latest` (the familiar name, tag added) or the raw ID text. */
export function noSuchImage(input: string): NotFoundError {
  let shown = input;
  try {
    shown = familiarName(withDefaultTag(parseReference(input)));
  } catch {
    // not a reference (an ID or prefix): Docker shows it as given
  }
  return new NotFoundError(`No such image: ${shown}`);
}

export const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

export function conflictRepositoryReference(ref: string, containerId: string, imageId: string): ConflictError {
  return new ConflictError(
    `conflict: unable to remove repository reference "${ref}" (must force) - container ${short(containerId)} is using its referenced image ${short(imageId)}`,
  );
}

export function conflictRunningContainer(imageId: string, containerId: string): ConflictError {
  return new ConflictError(`conflict: unable to delete ${short(imageId)} (cannot be forced) - image is being used by running container ${short(containerId)}`);
}

export function conflictStoppedContainer(imageId: string, containerId: string): ConflictError {
  return new ConflictError(`conflict: unable to delete ${short(imageId)} (must be forced) - image is being used by stopped container ${short(containerId)}`);
}

export function conflictChildren(imageId: string): ConflictError {
  return new ConflictError(`conflict: unable to delete ${short(imageId)} (cannot be forced) - image has dependent child images`);
}

export function conflictMultipleRepositories(imageId: string): ConflictError {
  return new ConflictError(`conflict: unable to delete ${short(imageId)} (must be forced) - image is referenced in multiple repositories`);
}

export function invalidArchive(detail: string): InvalidParameterError {
  return new InvalidParameterError(`invalid archive: ${detail}`);
}
