/** `berth ps` / `container ls`: docker's table, -q, -a, -n, -l, -s, --no-trunc, --filter, --format, config psFormat. */
import { FILTER_FLAG, FORMAT_FLAG, type CommandSpec } from '../../command.ts';
import { containerList } from '../../../client/containers.ts';
import { parseFilters } from '../../filters.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { PS_HEADER, PS_TABLE, containerRow } from '../../format/container-row.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show containers',
  aliases: ['container ls', 'container list', 'container ps', 'ps'],
  args: { exact: 0 },
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Include stopped containers too' },
    FILTER_FLAG,
    FORMAT_FLAG,
    { long: 'last', short: 'n', type: 'int', usage: 'Show the n newest containers, running or not', def: -1 },
    { long: 'latest', short: 'l', type: 'bool', usage: 'Show only the newest container, running or not' },
    { long: 'no-trunc', type: 'bool', usage: 'Print full values, uncut' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print container IDs only' },
    { long: 'size', short: 's', type: 'bool', usage: 'Also report file sizes' },
  ],
  async run({ cli, flags }) {
    let format = flags.str('format');
    if (!format && !flags.bool('quiet')) format = cli.config.psFormat ?? '';
    let table = PS_TABLE;
    // -s adds the SIZE column to the default table, and asks the daemon for sizes.
    // As docker/cli: sizes are asked for when the template reads .Size, which {{json .}} does (the keyword "json" does not).
    const wantSize = flags.bool('size') || format.includes('.Size') || /\bjson\s+\.\s*}}/.test(format);
    if (flags.bool('size') && (format === '' || format === 'table')) table += '\t{{.Size}}';
    const fmt = parseListFormat(format, flags.bool('quiet'), table);
    const last = flags.bool('latest') ? 1 : flags.int('last', -1);
    const list = await containerList(cli.api(), {
      all: flags.bool('all') || last > 0,
      limit: last > 0 ? last : undefined,
      size: wantSize,
      filters: parseFilters(flags.list('filter')),
    });
    const now = Date.now();
    const rows = list.map((c) => containerRow(c, { trunc: !flags.bool('no-trunc'), now }));
    cli.out.write(renderList(fmt, rows, PS_HEADER, '*formatter.ContainerContext'));
  },
};
