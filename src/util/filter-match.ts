/**
 * dockerd's `filters.Args.Match`, shared by the list filters that take it
 * (network and volume `name`/`id`): a value matches when it equals the
 * text, or when, read as a regular expression, it is found in the text.
 */
export function matchesAny(values: readonly string[], text: string): boolean {
  if (values.includes(text)) return true;
  return values.some((v) => {
    try {
      return new RegExp(v).test(text);
    } catch {
      return false; // Go skips a pattern that does not compile
    }
  });
}
