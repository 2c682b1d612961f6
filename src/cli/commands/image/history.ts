/** `berth history IMAGE`: IMAGE CREATED CREATED BY SIZE COMMENT. */
import { FORMAT_FLAG, type CommandSpec } from '../../command.ts';
import { imageHistory } from '../../../client/images.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { humanSize, timeAgo } from '../../format/units.ts';
import { ellipsis } from '../../format/container-row.ts';
import { truncateId } from '../../format/reference.ts';
import { formatGoTime } from '../../format/go-time.ts';

const TABLE = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
const HEADER = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

export const command: CommandSpec = {
  usage: '[OPTIONS] IMAGE',
  short: 'Show the history of an image',
  aliases: ['image history', 'history'],
  args: { exact: 1 },
  flags: [
    FORMAT_FLAG,
    { long: 'human', short: 'H', type: 'bool', usage: 'Print sizes and dates in human readable format', def: true },
    { long: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Only show image IDs' },
  ],
  async run({ cli, flags, args }) {
    const items = await imageHistory(cli.api(), args[0] ?? '');
    const trunc = !flags.bool('no-trunc');
    const human = flags.bool('human');
    const now = Date.now();
    const rows = items.map((h) => ({
      ID: h.Id.startsWith('sha256:') ? (trunc ? truncateId(h.Id) : h.Id) : '<missing>',
      CreatedSince: human ? timeAgo(h.Created, now) : formatGoTime(h.Created),
      CreatedAt: formatGoTime(h.Created),
      CreatedBy: trunc ? ellipsis(h.CreatedBy.replaceAll('\t', ' '), 45) : h.CreatedBy,
      Size: human ? humanSize(h.Size, 3) : String(h.Size),
      Comment: h.Comment,
    }));
    cli.out.write(renderList(parseListFormat(flags.str('format'), flags.bool('quiet'), TABLE), rows, HEADER, '*formatter.historyContext'));
  },
};
