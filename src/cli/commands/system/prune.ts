/** `berth system prune`: stopped containers, unused networks, unused anonymous volumes (--volumes), dangling (or all unused, -a) images, then the build cache (all of it with -a). */
import { pruneFilterFlag, type CommandSpec } from '../../command.ts';
import { buildPrune } from '../../../client/build.ts';
import { containerPrune } from '../../../client/containers.ts';
import { imagePrune } from '../../../client/images.ts';
import { networkPrune } from '../../../client/networks.ts';
import { parseFilters } from '../../filters.ts';
import { humanSize } from '../../format/units.ts';
import { confirm } from '../../prompt.ts';
import { pruneVolumes } from '../volume/prune-volumes.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Delete unused containers, networks, images and cache',
  aliases: ['system prune'],
  args: { exact: 0 },
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Delete every unused image, not only untagged ones' },
    pruneFilterFlag('Limit what is deleted, for example "label=<key>=<value>"'),
    { long: 'force', short: 'f', type: 'bool', usage: 'Skip the confirmation question' },
    { long: 'volumes', type: 'bool', usage: 'Delete unused anonymous volumes too' },
  ],
  async run({ cli, flags }) {
    const all = flags.bool('all');
    const volumes = flags.bool('volumes');
    // As docker: checked before the prompt (volume prune has no `until`).
    if (volumes && flags.list('filter').some((f) => f === 'until' || f.startsWith('until='))) throw new Error('ERROR: The "until" filter is not supported with "--volumes"');
    const volumeLine = volumes ? '  - all anonymous volumes not used by at least one container\n' : '';
    const warning = `WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n${volumeLine}  - ${all ? 'all images without at least one container associated to them' : 'all dangling images'}\n  - ${all ? 'all build cache' : 'unused build cache'}\n\nAre you sure you want to continue?`;
    if (!flags.bool('force') && !(await confirm(cli, warning))) return 0;
    const api = cli.api();
    const c = await containerPrune(api, parseFilters(flags.list('filter')));
    const n = await networkPrune(api, parseFilters(flags.list('filter')));
    const v = volumes ? await pruneVolumes(api, parseFilters(flags.list('filter'))) : { output: '', spaceReclaimed: 0 };
    const i = await imagePrune(api, parseFilters([...flags.list('filter'), `dangling=${all ? 'false' : 'true'}`]));
    const b = await buildPrune(api, { all, filters: parseFilters(flags.list('filter')) });
    let out = '';
    if (c.ContainersDeleted?.length) out += `Deleted Containers:\n${c.ContainersDeleted.join('\n')}\n\n`;
    if (n.NetworksDeleted?.length) out += `Deleted Networks:\n${n.NetworksDeleted.join('\n')}\n\n`;
    if (v.output) out += `${v.output}\n`;
    if (i.ImagesDeleted?.length) {
      out += 'Deleted Images:\n';
      for (const d of i.ImagesDeleted) out += d.Untagged ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted}\n`;
      out += '\n';
    }
    if (b.CachesDeleted?.length) out += `Deleted build cache objects:\n${b.CachesDeleted.map((id) => `${id}\n`).join('')}\n`;
    out += `Total reclaimed space: ${humanSize(c.SpaceReclaimed + v.spaceReclaimed + i.SpaceReclaimed + b.SpaceReclaimed)}\n`;
    cli.out.write(out);
  },
};
