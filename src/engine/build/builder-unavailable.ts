/**
 * The BuildService until the builder (builder.ts) is wired in: every build
 * fails in words a user understands, and the cache is empty.
 */
import type { Digest } from '../../oci/digest.ts';
import { NotImplementedError } from '../../util/errors.ts';
import type { BuildCacheEntry, BuildService } from './build-service.ts';

export class BuilderUnavailable implements BuildService {
  async build(): Promise<Digest> {
    throw new NotImplementedError('the builder is not available in this build of Berth');
  }

  async usage(): Promise<BuildCacheEntry[]> {
    return [];
  }

  async prune(): Promise<{ cachesDeleted: string[]; spaceReclaimed: number }> {
    return { cachesDeleted: [], spaceReclaimed: 0 };
  }
}
