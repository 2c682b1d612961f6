/** `berth system df`: TYPE TOTAL ACTIVE SIZE RECLAIMABLE; with -v, docker's four sections (images, containers, volumes, build cache). */
import type { CommandSpec } from '../../command.ts';
import type { ContainerSummary, ImageSummary } from '../../../client/types.ts';
import type { Volume } from '../../../wire/volume.ts';
import { systemDataUsage } from '../../../client/system.ts';
import { containerRow, PS_HEADER } from '../../format/container-row.ts';
import { imageRows, IMAGES_HEADER } from '../../format/image-row.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { humanDuration, humanSize } from '../../format/units.ts';
import { volumeRow, VOLUMES_HEADER } from '../../format/volume-row.ts';

interface Du {
  Images?: { Size: number; SharedSize: number; Containers: number }[] | null;
  Containers?: { SizeRw?: number; State: string }[] | null;
  Volumes?: { UsageData?: { Size: number; RefCount: number } }[] | null;
  BuildCache?: CacheRecord[] | null;
  LayersSize?: number;
}

interface CacheRecord {
  ID?: string;
  Type?: string;
  Size: number;
  InUse: boolean;
  Shared: boolean;
  CreatedAt?: string;
  LastUsedAt?: string | null;
  UsageCount?: number;
}

/** docker's buildCacheSort: never-used first, then by last use, ties by ID. */
function sortCache(records: CacheRecord[]): CacheRecord[] {
  const used = (r: CacheRecord) => (r.LastUsedAt ? Date.parse(r.LastUsedAt) : undefined);
  return [...records].sort((a, b) => {
    const ua = used(a);
    const ub = used(b);
    if (ua === undefined || ub === undefined || ua === ub) {
      if (ua === undefined && ub !== undefined) return -1;
      if (ub === undefined && ua !== undefined) return 1;
      return (a.ID ?? '') < (b.ID ?? '') ? -1 : (a.ID ?? '') > (b.ID ?? '') ? 1 : 0;
    }
    return ua - ub;
  });
}

/** One row of the build cache section (formatter.buildCacheContext, truncated IDs, `*` when in use). */
function cacheRow(r: CacheRecord, now: number): Record<string, string> {
  const since = (t: string | null | undefined) => (t ? `${humanDuration(now - Date.parse(t))} ago` : '');
  return {
    ID: `${(r.ID ?? '').slice(0, 12)}${r.InUse ? '*' : ''}`,
    CacheType: r.Type ?? '',
    Size: humanSize(r.Size, 3),
    CreatedSince: r.CreatedAt ? since(r.CreatedAt) : '',
    LastUsedSince: since(r.LastUsedAt),
    UsageCount: String(r.UsageCount ?? 0),
    Shared: String(r.Shared),
  };
}

/** docker's verbose sections (formatter/disk_usage.go). */
const DF_IMAGES = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';
const DF_CONTAINERS = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';
const DF_VOLUMES = 'table {{.Name}}\t{{.Links}}\t{{.Size}}';
const DF_CACHE = 'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}';
const CACHE_HEADER = { ID: 'CACHE ID', CacheType: 'CACHE TYPE', Size: 'SIZE', CreatedSince: 'CREATED', LastUsedSince: 'LAST USED', UsageCount: 'USAGE', Shared: 'SHARED' };

/** `system df -v` in docker's default table format. */
function verbose(du: Du): string {
  const now = Date.now();
  const table = (format: string) => parseListFormat(format, false, format);
  // One row per image, its first tag only (or <none>), as docker's verbose images.
  const images = ((du.Images ?? []) as unknown as ImageSummary[]).map((img) => {
    const first = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>')[0];
    return imageRows({ ...img, RepoTags: first ? [first] : [], RepoDigests: [] }, { trunc: true, digests: false, now })[0]!;
  });
  // docker leaves the virtual size out here (SizeRootFs zeroed).
  const containers = ((du.Containers ?? []) as unknown as ContainerSummary[]).map((c) => containerRow({ ...c, SizeRootFs: 0 }, { trunc: true, now }));
  const volumes = ((du.Volumes ?? []) as Volume[]).map(volumeRow);
  const cacheSize = (du.BuildCache ?? []).filter((c) => !c.Shared).reduce((a, c) => a + c.Size, 0);
  return (
    'Images space usage:\n\n' +
    renderList(table(DF_IMAGES), images, IMAGES_HEADER, '*formatter.imageContext') +
    '\nContainers space usage:\n\n' +
    renderList(table(DF_CONTAINERS), containers, PS_HEADER, '*formatter.ContainerContext') +
    '\nLocal Volumes space usage:\n\n' +
    renderList(table(DF_VOLUMES), volumes, VOLUMES_HEADER, '*formatter.volumeContext') +
    `\nBuild cache usage: ${humanSize(cacheSize)}\n\n` +
    renderList(table(DF_CACHE), sortCache(du.BuildCache ?? []).map((r) => cacheRow(r, now)), CACHE_HEADER, '*formatter.buildCacheContext')
  );
}

const TABLE = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const HEADER = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

function reclaim(part: number, total: number): string {
  const pct = total > 0 ? Math.trunc((part * 100) / total) : 0;
  return total > 0 ? `${humanSize(part)} (${pct}%)` : humanSize(part);
}

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show how much disk Berth uses',
  aliases: ['system df'],
  args: { exact: 0 },
  flags: [{ long: 'format', type: 'string', usage: 'Render the output through a Go template' }, { long: 'verbose', short: 'v', type: 'bool', usage: 'Break the usage down item by item' }],
  async run({ cli, flags }) {
    const du = (await systemDataUsage(cli.api())) as Du;
    if (flags.bool('verbose') && !flags.str('format')) {
      cli.out.write(verbose(du));
      return;
    }
    const images = du.Images ?? [];
    const containers = du.Containers ?? [];
    const volumes = du.Volumes ?? [];
    const cache = du.BuildCache ?? [];
    const imgSize = du.LayersSize ?? images.reduce((a, i) => a + i.Size - i.SharedSize, 0);
    const imgActive = images.filter((i) => i.Containers > 0);
    const imgUsed = imgActive.reduce((a, i) => a + i.Size - Math.max(0, i.SharedSize), 0);
    const ctrSize = containers.reduce((a, c) => a + (c.SizeRw ?? 0), 0);
    const ctrActive = containers.filter((c) => c.State === 'running');
    const ctrReclaim = containers.filter((c) => c.State !== 'running').reduce((a, c) => a + (c.SizeRw ?? 0), 0);
    const volSize = volumes.reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
    const volActive = volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0);
    const volReclaim = volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0).reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
    const cacheSize = cache.filter((c) => !c.Shared).reduce((a, c) => a + c.Size, 0);
    const cacheReclaim = cache.filter((c) => !c.InUse && !c.Shared).reduce((a, c) => a + c.Size, 0);
    const rows = [
      { Type: 'Images', TotalCount: String(images.length), Active: String(imgActive.length), Size: humanSize(imgSize), Reclaimable: reclaim(Math.max(0, imgSize - imgUsed), imgSize) },
      { Type: 'Containers', TotalCount: String(containers.length), Active: String(ctrActive.length), Size: humanSize(ctrSize), Reclaimable: reclaim(ctrReclaim, ctrSize) },
      { Type: 'Local Volumes', TotalCount: String(volumes.length), Active: String(volActive.length), Size: humanSize(volSize), Reclaimable: reclaim(volReclaim, volSize) },
      { Type: 'Build Cache', TotalCount: String(cache.length), Active: String(cache.filter((c) => c.InUse).length), Size: humanSize(cacheSize), Reclaimable: humanSize(cacheReclaim) },
    ];
    cli.out.write(renderList(parseListFormat(flags.str('format'), false, TABLE), rows, HEADER, '*formatter.diskUsageImagesContext'));
  },
};
