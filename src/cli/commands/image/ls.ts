/** `berth images` / `image ls`: REPOSITORY TAG IMAGE ID CREATED SIZE, -a, -q, --digests, --no-trunc, --filter, --format. */
import { FILTER_FLAG, FORMAT_FLAG, type CommandSpec } from '../../command.ts';
import { imageList } from '../../../client/images.ts';
import { parseFilters } from '../../filters.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { IMAGES_HEADER, IMAGES_TABLE, IMAGES_TABLE_DIGEST, imageRows } from '../../format/image-row.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] [REPOSITORY[:TAG]]',
  short: 'Show images',
  aliases: ['image ls', 'image list', 'images'],
  args: { max: 1 },
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Include intermediate images too' },
    { long: 'digests', type: 'bool', usage: 'Add a digest column' },
    FILTER_FLAG,
    FORMAT_FLAG,
    { long: 'no-trunc', type: 'bool', usage: 'Print full values, uncut' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print image IDs only' },
  ],
  async run({ cli, flags, args }) {
    let format = flags.str('format');
    if (!format && !flags.bool('quiet')) format = cli.config.imagesFormat ?? '';
    const digests = flags.bool('digests') || format.includes('{{.Digest}}');
    const fmt = parseListFormat(format, flags.bool('quiet'), flags.bool('digests') ? IMAGES_TABLE_DIGEST : IMAGES_TABLE);
    const filters = [...flags.list('filter')];
    if (args[0]) filters.push(`reference=${args[0]}`);
    const list = await imageList(cli.api(), { all: flags.bool('all'), filters: parseFilters(filters) });
    const now = Date.now();
    const trunc = !flags.bool('no-trunc');
    let rows = list.flatMap((img) => imageRows(img, { trunc, digests, now }));
    if (flags.bool('quiet')) {
      // -q lists each image once, as docker dedupes IDs in quiet mode.
      const seen = new Set<string>();
      rows = rows.filter((r) => {
        const id = (r as { ID: string }).ID;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    }
    cli.out.write(renderList(fmt, rows, IMAGES_HEADER, '*formatter.imageContext'));
  },
};
