/**
 * Docker's `--format` handling around the template (docker/cli
 * `cli/command/formatter/formatter.go`): the `table` directive, `\t`/`\n`
 * escapes typed on the command line, the header row rendered from the same
 * template with the header functions, and alignment by the tabwriter.
 */
import { TabWriter } from './tabwriter.ts';
import { parseTemplate } from './template.ts';
import type { TemplateOptions } from './template.ts';

/** Docker's table writer settings: `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`. */
export const DOCKER_TABLE = { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ', flags: 0 } as const;

export interface TableOptions {
  minwidth: number;
  tabwidth: number;
  padding: number;
  padchar: string;
  flags: number;
}

/**
 * Docker's `Format.templateString`: `table` is stripped (a bare "table" leaves
 * nothing), `json` becomes `{{json .}}`, spaces (only) are trimmed, and the
 * two-character sequences `\t` and `\n` become a tab and a newline.
 */
export function templateString(format: string): { table: boolean; text: string } {
  if (format === 'table') return { table: true, text: '' };
  if (format === 'json') return { table: false, text: '{{json .}}' };
  const table = format.startsWith('table');
  const body = table ? format.slice('table'.length) : format;
  const text = body.replace(/^ +| +$/g, '').replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  return { table, text };
}

/**
 * Align rows as Docker's tables are aligned. `rows` are cells (joined with
 * tabs, one line each, a newline after every line) or text already holding
 * tabs and newlines.
 */
export function renderTable(rows: readonly (readonly string[])[] | string, options: Partial<TableOptions> = {}): string {
  const o = { ...DOCKER_TABLE, ...options };
  const tw = new TabWriter(o.minwidth, o.tabwidth, o.padding, o.padchar, o.flags);
  tw.write(typeof rows === 'string' ? rows : rows.map((r) => `${r.join('\t')}\n`).join(''));
  return tw.flush();
}

/**
 * The whole of Docker's `formatter.Context.Write`: every item is rendered and
 * followed by a newline; for a table the header (the template run over
 * `header` with the header functions; a failure leaves it empty, as Docker
 * ignores that error) comes first and everything goes through the tabwriter.
 * Throws TemplateParseError / TemplateExecError (Docker: `template parsing error: …`).
 */
export function renderFormatted(
  format: string, items: readonly unknown[], header: unknown, options: TemplateOptions = {},
): string {
  const { table, text } = templateString(format);
  const tmpl = parseTemplate(text, options);
  let body = '';
  for (const item of items) body += `${tmpl.execute(item)}\n`;
  if (!table) return body;
  let head = '';
  try {
    head = tmpl.execute(header, { headerFunctions: true });
  } catch {
    // docker/cli ignores the header's execution error (formatter.postFormat).
  }
  return renderTable(`${head}\n${body}`);
}
