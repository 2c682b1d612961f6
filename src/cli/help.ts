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

/** pflag's wrapN: break `s` into lines of at most `width`, at spaces. */
function wrapText(indent: number, cols: number, s: string): string {
  const width = cols - indent;
  const pad = '\n' + ' '.repeat(indent);
  if (cols === 0 || width < 24) return s.replaceAll('\n', pad);
  const out: string[] = [];
  for (const para of s.split('\n')) {
    let rest = para;
    while (rest.length > width) {
      let cut = rest.lastIndexOf(' ', width);
      if (cut <= 0) cut = rest.indexOf(' ');
      if (cut <= 0) break;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
    }
    out.push(rest);
  }
  return out.join(pad);
}

export function flagUsages(specs: FlagSpec[], cols = 80): string {
  const visible = specs.filter((s) => !s.hidden && s.long !== 'help').sort((a, b) => (a.long < b.long ? -1 : a.long > b.long ? 1 : 0));
  const rows: { head: string; usage: string }[] = [];
  let maxlen = 0;
  for (const s of visible) {
    let head = s.short ? `  -${s.short}, --${s.long}` : `      --${s.long}`;
    const label = typeLabel(s);
    if (label) head += ` ${label}`;
    maxlen = Math.max(maxlen, head.length);
    let usage = s.usage;
    if (!isZeroDefault(s)) usage += typeof s.def === 'string' ? ` (default ${JSON.stringify(s.def)})` : ` (default ${String(s.def)})`;
    rows.push({ head, usage });
  }
  return rows.map((r) => `${r.head} ${' '.repeat(maxlen - r.head.length)} ${wrapText(maxlen + 2, cols, r.usage)}`).join('\n');
}

export function usageLine(path: string, spec: CommandSpec): string {
  return spec.usage ? `${path} ${spec.usage}` : path;
}

export function commandHelp(bin: string, path: string, spec: CommandSpec, cols = 80): string {
  let text = `Usage:  ${usageLine(path, spec)}\n\n${spec.short}\n`;
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
