/**
 * Docker's list rendering (cli/command/formatter): a `--format` value is
 * "table", "table TEMPLATE", "json" or a Go template; tables get a header row
 * (the template run over the column titles) and are aligned by a Go-faithful
 * tabwriter(minwidth 10, tabwidth 1, padding 3, ' ').
 */
import { goStruct, parseTemplate } from './template.ts';
import { marshalSortedMap } from './template-json.ts';
import { TabWriter } from './tabwriter.ts';

export interface ListFormat {
  table: boolean;
  template: string;
}

/** Normalise a --format value as docker's Format.templateString does. */
export function parseListFormat(format: string, quiet: boolean, defaultTable: string, quietFormat = '{{.ID}}'): ListFormat {
  let f = format;
  if (quiet && (f === '' || f.startsWith('table'))) f = quietFormat;
  if (f === '') f = defaultTable;
  if (f === 'table') f = defaultTable;
  if (f === 'json') f = '{{json .}}';
  const table = f.startsWith('table');
  let text = table ? f.slice('table'.length) : f;
  text = text.replace(/^ +| +$/g, '').replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  return { table, template: text };
}

/** Align tab-separated cells as Go's tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) does. */
export function alignTable(text: string): string {
  const tw = new TabWriter(10, 1, 3, ' ', 0);
  tw.write(text);
  return tw.flush();
}

/** Render rows; `header` maps each field to its column title. Throws "template parsing error: …". */
export function renderList(format: ListFormat, rows: object[], header: Record<string, string>, typeName: string): string {
  let tmpl;
  try {
    tmpl = parseTemplate(format.template);
  } catch (err) {
    throw new Error(`template parsing error: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  let body = '';
  for (const row of rows) {
    // {{json .}} of a row is docker's formatter.MarshalJSON: a sorted map, HTML escaped.
    if (!Object.hasOwn(row, 'toJSON')) {
      Object.defineProperty(row, 'toJSON', { value: () => marshalSortedMap(row as Record<string, unknown>), enumerable: false, configurable: true });
    }
    try {
      body += tmpl.execute(goStruct(row, typeName)) + '\n';
    } catch (err) {
      throw new Error(`template parsing error: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  if (!format.table) return body;
  let head = '';
  try {
    head = tmpl.execute(withLabelTitle(header), { headerFunctions: true });
  } catch {
    // A header the template cannot render (a function over a title): docker prints it empty too.
  }
  return alignTable(head + '\n' + body);
}

/** The header row's `{{.Label "com.example.some-key"}}`: the key's last dotted part, "-" and "_" as blanks (docker's SubHeaderContext.Label). */
function withLabelTitle(header: Record<string, string>): Record<string, string> {
  const title = (name: string) => (name.split('.').pop() ?? '').replace(/[-_]/g, ' ');
  return Object.defineProperty({ ...header }, 'Label', { enumerable: false, value: title });
}
