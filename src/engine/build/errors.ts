/** The builder's errors, in dockerd's classic builder words. */
import { InvalidParameterError, SystemError } from '../../util/errors.ts';

/**
 * A RUN step's command exited non-zero: `The command '/bin/sh -c exit 7'
 * returned a non-zero code: 7`. `code` is the exit code, which the API
 * writes as `errorDetail.code` (dockerd's jsonmessage.JSONError).
 */
export class CommandFailedError extends SystemError {
  constructor(
    readonly command: string[],
    readonly code: number,
  ) {
    super(`The command '${command.join(' ')}' returned a non-zero code: ${code}`);
  }
}

export function unknownTarget(target: string): InvalidParameterError {
  return new InvalidParameterError(`failed to reach build target ${target} in Dockerfile`);
}

export function noImageGenerated(): InvalidParameterError {
  return new InvalidParameterError('No image was generated. Is your Dockerfile empty?');
}

export function stageNameUsed(name: string): InvalidParameterError {
  return new InvalidParameterError(`${name} stage name already used`);
}

export function blankBaseName(basename: string): InvalidParameterError {
  return new InvalidParameterError(`base name (${basename}) should not be blank`);
}

/** COPY --from / RUN --mount from= naming the stage being built or a later one. */
export function badStageRef(value: string, reason: string): InvalidParameterError {
  return new InvalidParameterError(`invalid from flag value ${value}: ${reason}`);
}
