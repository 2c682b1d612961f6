/**
 * Go's json.Indent over raw JSON text: whitespace rewritten, strings and
 * numbers left byte-for-byte (so the daemon's escapes such as \u003c
 * survive, as they do in `docker inspect`); empty {} and [] stay compact.
 */
export function indentJson(raw: string, prefix: string, indent: string): string {
  let out = '';
  let depth = 0;
  let needIndent = false; // an opening bracket was just written
  const newline = () => '\n' + prefix + indent.repeat(depth);
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    if (needIndent && ch !== ']' && ch !== '}') {
      needIndent = false;
      depth++;
      out += newline();
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
      out += raw.slice(i, j + 1);
      i = j;
      continue;
    }
    if (ch === '{' || ch === '[') {
      out += ch;
      needIndent = true;
    } else if (ch === '}' || ch === ']') {
      if (needIndent) needIndent = false; // empty: stays "{}" / "[]"
      else {
        depth--;
        out += newline();
      }
      out += ch;
    } else if (ch === ',') {
      out += ',' + newline();
    } else if (ch === ':') {
      out += ': ';
    } else {
      out += ch;
    }
  }
  return out;
}

/** docker inspect's default output: a JSON array of raw elements, 4-space indented. */
export function formatInspectArray(rawElements: string[]): string {
  if (rawElements.length === 0) return '[]\n';
  return indentJson(`[${rawElements.join(',')}]`, '', '    ') + '\n';
}
