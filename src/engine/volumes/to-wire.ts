/** A volume record as dockerd shows it (`GET /volumes/{name}`, list entries, `system df`). */
import type { Volume } from '../../wire/volume.ts';
import type { VolumeRecord } from './volume-record.ts';
import type { VolumeUsage } from './volume-service.ts';

/** Go marshals a map with its keys sorted. */
function sortedMap(map: Record<string, string> | null): Record<string, string> | null {
  if (map === null) return null;
  return Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]!]));
}

export function toWireVolume(record: VolumeRecord, mountpoint: string): Volume {
  return {
    CreatedAt: record.createdAt,
    Driver: record.driver,
    Labels: sortedMap(record.labels),
    Mountpoint: mountpoint,
    Name: record.name,
    Options: sortedMap(record.options),
    Scope: 'local',
  };
}

export function toWireVolumeUsage(usage: VolumeUsage, mountpoint: string): Volume {
  return { ...toWireVolume(usage.record, mountpoint), UsageData: { Size: usage.size, RefCount: usage.refCount } };
}
