/**
 * Gather a stream's chunks into chunks of at least `size` bytes (the last
 * one may be smaller). A socket hands a download over in 64 KiB reads; each
 * chunk costs a round trip to zlib's thread, a hash call and a write, so a
 * pull feeds its consumers 1 MiB at a time (one copy of the bytes, cheaper
 * than 16 of each of those). When the source fails, what was gathered is
 * yielded first, then the error is thrown: a resumable download keeps every
 * byte that arrived.
 */
export async function* rechunk(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  const take = (): Buffer => {
    const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    parts = [];
    have = 0;
    return out;
  };
  try {
    for await (const chunk of source) {
      parts.push(chunk);
      have += chunk.length;
      if (have >= size) yield take();
    }
  } catch (err) {
    if (have > 0) yield take();
    throw err;
  }
  if (have > 0) yield take();
}
