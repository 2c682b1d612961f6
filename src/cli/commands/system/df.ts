/** `berth system df`: TYPE TOTAL ACTIVE SIZE RECLAIMABLE. */
import type { CommandSpec } from '../../command.ts';
import { systemDataUsage } from '../../../client/system.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { humanSize } from '../../format/units.ts';

interface Du {
  Images?: { Size: number; SharedSize: number; Containers: number }[] | null;
  Containers?: { SizeRw?: number; State: string }[] | null;
  Volumes?: { UsageData?: { Size: number; RefCount: number } }[] | null;
  BuildCache?: { Size: number; InUse: boolean; Shared: boolean }[] | null;
  LayersSize?: number;
}

const TABLE = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const HEADER = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

function reclaim(part: number, total: number): string {
  const pct = total > 0 ? Math.trunc((part * 100) / total) : 0;
  return total > 0 ? `${humanSize(part)} (${pct}%)` : humanSize(part);
}

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show docker disk usage',
  aliases: ['system df'],
  args: { exact: 0 },
  flags: [{ long: 'format', type: 'string', usage: 'Format output using a custom template' }, { long: 'verbose', short: 'v', type: 'bool', usage: 'Show detailed information on space usage' }],
  async run({ cli, flags }) {
    const du = (await systemDataUsage(cli.api())) as Du;
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
