/**
 * A `command:`/`entrypoint:` string split into words as compose-go does it
 * (mattn/go-shellwords without variable expansion): blanks separate words,
 * single quotes literal, double quotes with `\` escaping `"`, `\`, `$`,
 * backslash-newline dropped; unterminated quotes are an error.
 */
export function shellSplit(line: string): string[] {
  const args: string[] = [];
  let buf = '';
  let started = false;
  let escaped = false;
  let single = false;
  let double = false;
  for (const r of line) {
    if (escaped) {
      if (r !== '\n') buf += r;
      escaped = false;
      started = true;
      continue;
    }
    if (r === '\\') {
      if (single) buf += r;
      else if (double) {
        escaped = true;
        buf += ''; // go-shellwords keeps the next rune whatever it is
      } else escaped = true;
      started = true;
      continue;
    }
    if (/\s/.test(r)) {
      if (single || double) buf += r;
      else if (started) {
        args.push(buf);
        buf = '';
        started = false;
      }
      continue;
    }
    if (r === "'" && !double) {
      single = !single;
      started = true;
      continue;
    }
    if (r === '"' && !single) {
      double = !double;
      started = true;
      continue;
    }
    buf += r;
    started = true;
  }
  if (escaped || single || double) throw new Error('invalid command line string');
  if (started) args.push(buf);
  return args;
}
