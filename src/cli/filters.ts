/**
 * --filter k=v values, as docker's opts.FilterOpt takes them: a value
 * without "=" is refused as the flag is parsed (a usage error, exit 125),
 * an empty one is ignored; the API gets them as filters.Args' JSON
 * (`{"k":{"v":true}}`).
 */
const BAD_FILTER = 'bad format of filter (expected name=value)';

/** The flag's `parse`: checks one value's form, keeps it as given. */
export function validateFilter(raw: string): string {
  if (raw !== '' && !raw.includes('=')) throw new Error(BAD_FILTER);
  return raw;
}

export function parseFilters(values: string[]): string | undefined {
  const out: Record<string, Record<string, boolean>> = {};
  for (const v of values) {
    if (v === '') continue;
    const i = v.indexOf('=');
    if (i < 0) throw new Error(BAD_FILTER);
    const key = v.slice(0, i).trim().toLowerCase();
    const value = v.slice(i + 1).trim();
    (out[key] ??= {})[value] = true;
  }
  if (Object.keys(out).length === 0) return undefined;
  // Go marshals maps with sorted keys.
  const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, Object.fromEntries(Object.keys(out[k]!).sort().map((v) => [v, true]))]));
  return JSON.stringify(sorted);
}
