/** --filter k=v values → the API's JSON `filters` ({"k":{"v":true}}), as docker's filters.Args encodes them. */
export function parseFilters(values: string[]): string | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, Record<string, boolean>> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i < 0) throw new Error(`bad format of filter (expected name=value)`);
    const key = v.slice(0, i).trim().toLowerCase();
    const value = v.slice(i + 1).trim();
    (out[key] ??= {})[value] = true;
  }
  return JSON.stringify(out);
}
