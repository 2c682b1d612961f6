/** Build-cache records as the API shows them (wire BuildCache). */
import type { BuildCache } from '../../wire/build.ts';
import type { BuildCacheEntry } from './build-service.ts';

export function toWireBuildCache(entry: BuildCacheEntry): BuildCache {
  return {
    ID: entry.id,
    Parents: entry.parent ? [entry.parent] : null,
    Type: entry.type,
    Description: entry.description,
    InUse: entry.inUse,
    Shared: entry.shared,
    Size: entry.size,
    CreatedAt: entry.createdAt,
    LastUsedAt: entry.lastUsedAt ?? null,
    UsageCount: entry.usageCount,
  };
}
