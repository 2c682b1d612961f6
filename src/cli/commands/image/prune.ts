/** `berth image prune [-a] [-f]`. */
import { pruneFilterFlag, type CommandSpec } from '../../command.ts';
import { imagePrune } from '../../../client/images.ts';
import { parseFilters } from '../../filters.ts';
import { humanSize } from '../../format/units.ts';
import { confirm } from '../../prompt.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Delete images nothing uses',
  aliases: ['image prune'],
  args: { exact: 0 },
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Delete every unused image, not only untagged ones' },
    pruneFilterFlag('Limit what is deleted, for example "until=<timestamp>"'),
    { long: 'force', short: 'f', type: 'bool', usage: 'Skip the confirmation question' },
  ],
  async run({ cli, flags }) {
    const all = flags.bool('all');
    const warning = all
      ? 'WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?'
      : 'WARNING! This will remove all dangling images.\nAre you sure you want to continue?';
    if (!flags.bool('force') && !(await confirm(cli, warning))) return 0;
    const filters = [...flags.list('filter'), `dangling=${all ? 'false' : 'true'}`];
    const r = await imagePrune(cli.api(), parseFilters(filters));
    let out = '';
    if (r.ImagesDeleted?.length) {
      out += 'Deleted Images:\n';
      for (const d of r.ImagesDeleted) out += d.Untagged ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted}\n`;
      out += '\n';
    }
    out += `Total reclaimed space: ${humanSize(r.SpaceReclaimed)}\n`;
    cli.out.write(out);
  },
};
