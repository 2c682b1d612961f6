/** `berth events`: the event stream, one docker-formatted line per event (or --format). */
import { FILTER_FLAG, type CommandSpec } from '../../command.ts';
import { systemEvents } from '../../../client/system.ts';
import { readJsonLines } from '../../../client/json-stream.ts';
import { parseFilters } from '../../filters.ts';
import { parseTemplate } from '../../format/template.ts';
import { toApiTimestamp } from '../../opts/timestamp.ts';

interface EventMessage {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  timeNano?: number;
  time?: number;
}

/** "2006-01-02T15:04:05.999999999Z07:00" with the nanoseconds docker prints. */
function eventTime(e: EventMessage): string {
  const nanos = BigInt(e.timeNano ?? (e.time ?? 0) * 1e9);
  const secs = Number(nanos / 1000000000n);
  const frac = String(nanos % 1000000000n).padStart(9, '0');
  const d = new Date(secs * 1000);
  const off = -d.getTimezoneOffset();
  const p = (n: number) => String(n).padStart(2, '0');
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${p(Math.trunc(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  const local = new Date(d.getTime() + off * 60000).toISOString().slice(0, 19);
  return `${local}.${frac}${zone}`;
}

export function formatEvent(e: EventMessage): string {
  const attrs = e.Actor?.Attributes ?? {};
  const keys = Object.keys(attrs).sort();
  const tail = keys.length ? ` (${keys.map((k) => `${k}=${attrs[k]}`).join(', ')})` : '';
  return `${eventTime(e)} ${e.Type ?? ''} ${e.Action ?? ''} ${e.Actor?.ID ?? ''}${tail}`;
}

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Follow what happens on the server as it happens',
  aliases: ['system events', 'events'],
  args: { exact: 0 },
  flags: [
    FILTER_FLAG,
    { long: 'format', type: 'string', usage: "Choose the output layout:\n'json':             the object as JSON\n'TEMPLATE':         the object through a Go template\n(templates follow Go's text/template syntax)" },
    { long: 'since', type: 'string', usage: 'Start with events from this time on' },
    { long: 'until', type: 'string', usage: 'Stop at this time' },
  ],
  async run({ cli, flags }) {
    const format = flags.str('format');
    const tmpl = format ? parseTemplate(format === 'json' ? '{{json .}}' : format) : undefined;
    const now = new Date();
    const since = toApiTimestamp(flags.str('since'), now) || undefined;
    const until = toApiTimestamp(flags.str('until'), now) || undefined;
    const res = await systemEvents(cli.api(), { since, until, filters: parseFilters(flags.list('filter')) });
    for await (const e of readJsonLines<EventMessage>(res)) {
      cli.out.write((tmpl ? tmpl.execute(e) : formatEvent(e)) + '\n');
    }
  },
};
