/** `berth network ls`: NETWORK ID NAME DRIVER SCOPE sorted by name (naturally, as docker), -q, --no-trunc, --filter, --format, config networksFormat. */
import { FILTER_FLAG, FORMAT_FLAG, type CommandSpec } from '../../command.ts';
import { networkList } from '../../../client/networks.ts';
import { parseFilters } from '../../filters.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { NETWORKS_HEADER, NETWORKS_RAW, NETWORKS_RAW_QUIET, NETWORKS_TABLE, networkRow } from '../../format/network-row.ts';
import { naturalCompare } from '../../format/sort-order.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show networks',
  aliases: ['network ls', 'network list'],
  args: { exact: 0 },
  flags: [
    { ...FILTER_FLAG, usage: 'Filter the list (e.g. "driver=bridge")' },
    FORMAT_FLAG,
    { long: 'no-trunc', type: 'bool', usage: 'Show full network IDs' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print network IDs only' },
  ],
  async run({ cli, flags }) {
    const quiet = flags.bool('quiet');
    let format = flags.str('format');
    if (!format) format = (!quiet && cli.config.networksFormat) || 'table';
    // As docker's network NewFormat: -q replaces only the plain "table" (and "raw") formats.
    if (format === 'raw') format = quiet ? NETWORKS_RAW_QUIET : NETWORKS_RAW;
    else if (format === 'table' && quiet) format = '{{.ID}}';
    const fmt = parseListFormat(format, false, NETWORKS_TABLE);
    const list = await networkList(cli.api(), parseFilters(flags.list('filter')));
    list.sort((a, b) => naturalCompare(a.Name, b.Name));
    const rows = list.map((nw) => networkRow(nw, !flags.bool('no-trunc')));
    cli.out.write(renderList(fmt, rows, NETWORKS_HEADER, '*network.networkContext'));
  },
};
