/**
 * `berth volume prune`: unused anonymous volumes (all unused ones with -a),
 * after docker's confirmation prompt; "Deleted Volumes:", their names and
 * the "Total reclaimed space:" line.
 */
import { pruneFilterFlag, type CommandSpec } from '../../command.ts';
import { StatusError } from '../../errors.ts';
import { parseFilters } from '../../filters.ts';
import { humanSize } from '../../format/units.ts';
import { confirm } from '../../prompt.ts';
import { pruneVolumes } from './prune-volumes.ts';

const ANONYMOUS_WARNING = 'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue?';
const ALL_WARNING = 'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue?';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Remove unused volumes',
  aliases: ['volume prune'],
  args: { exact: 0 },
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Also remove unused named volumes, not only anonymous ones' },
    pruneFilterFlag('Only prune volumes that match (e.g. "label=<key>=<value>")'),
    { long: 'force', short: 'f', type: 'bool', usage: 'Prune without asking first' },
  ],
  async run({ cli, flags }) {
    const filters = flags.list('filter');
    const all = flags.bool('all');
    if (all && filters.some((f) => f === 'all' || f.startsWith('all='))) {
      throw new StatusError('conflicting options: cannot specify both --all and --filter all=1', 1);
    }
    if (!flags.bool('force') && !(await confirm(cli, all ? ALL_WARNING : ANONYMOUS_WARNING))) return 0;
    const { output, spaceReclaimed } = await pruneVolumes(cli.api(), parseFilters(all ? [...filters, 'all=true'] : filters));
    cli.out.write(`${output ? output + '\n' : ''}Total reclaimed space: ${humanSize(spaceReclaimed)}\n`);
  },
};
