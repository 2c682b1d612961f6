/** `berth history IMAGE`: IMAGE CREATED CREATED BY SIZE COMMENT. */
import { FORMAT_FLAG, type CommandSpec } from '../../command.ts';
import { imageHistory } from '../../../client/images.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { humanSize, timeAgo } from '../../format/units.ts';
import { ellipsis } from '../../format/container-row.ts';
import { truncateId } from '../../format/reference.ts';
import { formatRfc3339 } from '../../format/go-time.ts';

const TABLE = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
/** docker/cli's table without --human: dates as RFC 3339 under CREATED AT. */
const NON_HUMAN_TABLE = 'table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
/** Dates before this are not shown in human units ("N/A"), as docker/cli does. */
const EPOCH = Date.UTC(2000, 0, 1) / 1000;
const HEADER = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

export const command: CommandSpec = {
  usage: '[OPTIONS] IMAGE',
  short: 'List the layers an image was made of',
  aliases: ['image history', 'history'],
  args: { exact: 1 },
  flags: [
    FORMAT_FLAG,
    { long: 'human', short: 'H', type: 'bool', usage: 'Write sizes and times for people to read', def: true },
    { long: 'no-trunc', type: 'bool', usage: 'Print full values, uncut' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print image IDs only' },
  ],
  async run({ cli, flags, args }) {
    const items = await imageHistory(cli.api(), args[0] ?? '');
    const trunc = !flags.bool('no-trunc');
    const human = flags.bool('human');
    const now = Date.now();
    const rows = items.map((h) => ({
      ID: h.Id.startsWith('sha256:') ? (trunc ? truncateId(h.Id) : h.Id) : '<missing>',
      CreatedSince: !human ? formatRfc3339(h.Created) : h.Created <= EPOCH ? 'N/A' : timeAgo(h.Created, now),
      // docker/cli's historyContext: RFC 3339, where ps and images use Go's default time layout.
      CreatedAt: formatRfc3339(h.Created),
      CreatedBy: trunc ? ellipsis(h.CreatedBy.replaceAll('\t', ' '), 45) : h.CreatedBy,
      Size: human ? humanSize(h.Size, 3) : String(h.Size),
      Comment: h.Comment,
    }));
    cli.out.write(renderList(parseListFormat(flags.str('format'), flags.bool('quiet'), human ? TABLE : NON_HUMAN_TABLE), rows, HEADER, '*formatter.historyContext'));
  },
};
