/** `berth builder prune [-a] [-f] [--filter] [--keep-storage]`: POST /build/prune, printed as docker's (cli/command/builder/prune.go). */
import { pruneFilterFlag, type CommandSpec } from '../../command.ts';
import { buildPrune } from '../../../client/build.ts';
import { parseFilters } from '../../filters.ts';
import { humanSize, ramInBytes } from '../../format/units.ts';
import { confirm } from '../../prompt.ts';

export const command: CommandSpec = {
  // docker's Use is bare "prune" (DisableFlagsInUseLine).
  usage: '',
  short: 'Delete cached build steps',
  aliases: ['builder prune'],
  args: { exact: 0 },
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Delete every unused cache entry, dangling or not' },
    pruneFilterFlag('Limit what is deleted, for example "until=24h"'),
    { long: 'force', short: 'f', type: 'bool', usage: 'Skip the confirmation question' },
    { long: 'keep-storage', type: 'value', typeName: 'bytes', usage: 'Cache size to leave in place', parse: (raw: string) => ramInBytes(raw) },
  ],
  async run({ cli, flags }) {
    const all = flags.bool('all');
    const warning = all ? 'WARNING! This will remove all build cache. Are you sure you want to continue?' : 'WARNING! This will remove all dangling build cache. Are you sure you want to continue?';
    if (!flags.bool('force') && !(await confirm(cli, warning))) return 0;
    const r = await buildPrune(cli.api(), { all, keepStorage: flags.get<number>('keep-storage'), filters: parseFilters(flags.list('filter')) });
    let out = '';
    if (r.CachesDeleted?.length) out += `Deleted build cache objects:\n${r.CachesDeleted.map((id) => `${id}\n`).join('')}\n`;
    out += `Total reclaimed space: ${humanSize(r.SpaceReclaimed)}\n`;
    cli.out.write(out);
  },
};
