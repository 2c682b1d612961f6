/** `berth volume ls`: DRIVER VOLUME NAME sorted by name (naturally, as docker), -q, --filter, --format, config volumesFormat. */
import { FILTER_FLAG, FORMAT_FLAG, type CommandSpec } from '../../command.ts';
import { volumeList } from '../../../client/volumes.ts';
import { parseFilters } from '../../filters.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { naturalCompare } from '../../format/sort-order.ts';
import { VOLUMES_HEADER, VOLUMES_RAW, VOLUMES_RAW_QUIET, VOLUMES_TABLE, volumeRow } from '../../format/volume-row.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show volumes',
  aliases: ['volume ls', 'volume list'],
  args: { exact: 0 },
  flags: [
    { ...FILTER_FLAG, usage: 'Only list the volumes that match (e.g. "dangling=true")' },
    FORMAT_FLAG,
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print only the volume names' },
  ],
  async run({ cli, flags }) {
    const quiet = flags.bool('quiet');
    let format = flags.str('format');
    if (!format) format = (!quiet && cli.config.volumesFormat) || 'table';
    // As docker's NewVolumeFormat: -q replaces only the plain "table" (and "raw") formats.
    if (format === 'raw') format = quiet ? VOLUMES_RAW_QUIET : VOLUMES_RAW;
    else if (format === 'table' && quiet) format = '{{.Name}}';
    const fmt = parseListFormat(format, false, VOLUMES_TABLE);
    const list = (await volumeList(cli.api(), parseFilters(flags.list('filter')))).Volumes ?? [];
    list.sort((a, b) => naturalCompare(a.Name, b.Name));
    cli.out.write(renderList(fmt, list.map(volumeRow), VOLUMES_HEADER, '*formatter.volumeContext'));
  },
};
