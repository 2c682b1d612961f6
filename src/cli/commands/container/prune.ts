/** `berth container prune`: remove stopped containers after docker's confirmation prompt. */
import { pruneFilterFlag, type CommandSpec } from '../../command.ts';
import { containerPrune } from '../../../client/containers.ts';
import { parseFilters } from '../../filters.ts';
import { humanSize } from '../../format/units.ts';
import { confirm } from '../../prompt.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Delete every stopped container',
  aliases: ['container prune'],
  args: { exact: 0 },
  flags: [
    pruneFilterFlag('Limit what is deleted, for example "until=<timestamp>"'),
    { long: 'force', short: 'f', type: 'bool', usage: 'Skip the confirmation question' },
  ],
  async run({ cli, flags }) {
    if (!flags.bool('force') && !(await confirm(cli, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?'))) {
      return 0;
    }
    const r = await containerPrune(cli.api(), parseFilters(flags.list('filter')));
    let out = '';
    if (r.ContainersDeleted?.length) out += `Deleted Containers:\n${r.ContainersDeleted.join('\n')}\n\n`;
    out += `Total reclaimed space: ${humanSize(r.SpaceReclaimed)}\n`;
    cli.out.write(out);
  },
};
