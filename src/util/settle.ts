/**
 * Promise.all that answers, or throws the first failure (in the list's
 * order), only once every promise has settled: a part still running when
 * another fails (a sandbox being set up while a device lookup fails) has
 * finished, and left its trace, before the caller's clean-up runs.
 */
export async function allSettledOrThrow<T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
