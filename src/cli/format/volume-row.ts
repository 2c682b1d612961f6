/** Volume rows as docker's volumeContext presents them to templates (`volume ls`, `system df -v`). */
import type { Volume } from '../../wire/volume.ts';
import { humanSize } from './units.ts';

export const VOLUMES_TABLE = 'table {{.Driver}}\t{{.Name}}';
/** The `raw` format docker keeps for volumes (and its quiet form). */
export const VOLUMES_RAW = 'name: {{.Name}}\\ndriver: {{.Driver}}\\n';
export const VOLUMES_RAW_QUIET = 'name: {{.Name}}';
export const VOLUMES_HEADER: Record<string, string> = {
  Name: 'VOLUME NAME', Group: 'GROUP', Driver: 'DRIVER', Scope: 'SCOPE', Availability: 'AVAILABILITY', Mountpoint: 'MOUNTPOINT',
  Labels: 'LABELS', Links: 'LINKS', Size: 'SIZE', Status: 'STATUS',
};

export function volumeRow(v: Volume): object {
  const labels = v.Labels ?? {};
  const row: Record<string, string> = {
    // Cluster volumes only (swarm): Berth has none.
    Availability: 'N/A',
    Driver: v.Driver,
    Group: 'N/A',
    // docker walks a Go map here (random order); sorted keys print the same set steadily.
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
    Links: v.UsageData ? String(v.UsageData.RefCount) : 'N/A',
    Mountpoint: v.Mountpoint,
    Name: v.Name,
    Scope: v.Scope,
    Size: v.UsageData ? humanSize(v.UsageData.Size) : 'N/A',
    Status: 'N/A',
  };
  Object.defineProperty(row, 'Label', { enumerable: false, value: (k: string) => labels[k] ?? '' });
  return row;
}
