/**
 * Help and usage text in cobra's shape as the docker CLI configures it
 * (cli/cobra.go usageTemplate) with pflag's FlagUsagesWrapped for "Options:".
 */
import type { FlagSpec } from './flags.ts';
import type { CommandSpec } from './command.ts';

function typeLabel(s: FlagSpec): string {
  if (s.type === 'bool') return '';
  return s.typeName ?? (s.type === 'list' ? 'list' : s.type);
}

function isZeroDefault(s: FlagSpec): boolean {
  return s.def === undefined || s.def === '' || s.def === 0 || s.def === false;
}

/** pflag's wrapN: cut at the last blank before `i`, or at an earlier newline. */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag's wrap: usage text wrapped into columns indent..cols, 5 columns of slop against orphans. */
function wrapText(indent: number, cols: number, text: string): string {
  let i = indent;
  let width = cols - i;
  let r = '';
  if (width < 24) {
    i = 16;
    width = cols - i;
    r += '\n' + ' '.repeat(i);
  }
  const pad = '\n' + ' '.repeat(i);
  if (width < 24) return text.replaceAll('\n', r);
  const slop = 5;
  width -= slop;
  let [line, rest] = wrapN(width, slop, text);
  r += line.replaceAll('\n', pad);
  while (rest !== '') {
    [line, rest] = wrapN(width, slop, rest);
    r += pad + line.replaceAll('\n', pad);
  }
  return r;
}

export function flagUsages(specs: FlagSpec[], cols = 79): string {
  const visible = specs.filter((s) => !s.hidden).sort((a, b) => (a.long < b.long ? -1 : a.long > b.long ? 1 : 0));
  const rows: { head: string; usage: string }[] = [];
  let maxlen = 0;
  for (const s of visible) {
    let head = s.short ? `  -${s.short}, --${s.long}` : `      --${s.long}`;
    const label = typeLabel(s);
    if (label) head += ` ${label}`;
    maxlen = Math.max(maxlen, head.length + 1); // pflag counts the \x00 placeholder
    let usage = s.usage;
    if (s.defText !== undefined) usage += ` (default ${s.defText})`;
    else if (!isZeroDefault(s)) usage += typeof s.def === 'string' ? ` (default ${JSON.stringify(s.def)})` : ` (default ${String(s.def)})`;
    rows.push({ head, usage });
  }
  return rows.map((r) => `${r.head} ${' '.repeat(maxlen - r.head.length)} ${wrapText(maxlen + 2, cols, r.usage)}`).join('\n');
}

export function usageLine(path: string, spec: CommandSpec): string {
  return spec.usage ? `${path} ${spec.usage}` : path;
}

export function commandHelp(bin: string, path: string, spec: CommandSpec, cols = 79): string {
  let text = `Usage:  ${usageLine(path, spec)}\n\n${spec.long ?? spec.short}\n`;
  if (spec.aliases && spec.aliases.length > 1) text += `\nAliases:\n  ${spec.aliases.map((a) => `${bin} ${a}`).join(', ')}\n`;
  const flags = flagUsages(spec.flags, cols);
  if (flags) text += `\nOptions:\n${flags}\n`;
  return text;
}

export interface GroupEntry {
  name: string;
  short: string;
}

export function groupHelp(path: string, short: string, entries: GroupEntry[]): string {
  // cobra's rpad(name, NamePadding+1) with NamePadding at least 11.
  const width = Math.max(11, ...entries.map((e) => e.name.length)) + 1;
  const lines = entries.map((e) => `  ${e.name.padEnd(width)}${e.short}`);
  return `Usage:  ${path} COMMAND\n\n${short}\n\nCommands:\n${lines.join('\n')}\n\nRun '${path} COMMAND --help' for more information on a command.\n`;
}
