/** The detach keys of a container attach request, refused as dockerd refuses them. */
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../util/detach-keys.ts';
import { InvalidParameterError } from '../../util/errors.ts';

/** `detachKeys` of an attach (empty or absent: ctrl-p,ctrl-q); checked before the connection is taken over, as dockerd does. */
export function attachDetachKeys(text: string | null | undefined): number[] {
  try {
    return parseDetachKeys(text || DEFAULT_DETACH_KEYS);
  } catch (err) {
    throw new InvalidParameterError(`Invalid detach keys (${text}) provided`, { cause: err });
  }
}
