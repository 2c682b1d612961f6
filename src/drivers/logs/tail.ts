/**
 * `--tail N` without reading the whole log: scan the file backwards in
 * chunks, record by record, until N log entries lie between the offset found
 * and the end. An entry is a run of `P` records closed by an `F` record (or a
 * trailing run of `P` records still open), so entries start at offset 0 and
 * right after every `F` record. Entries are counted over both streams, before
 * any since/until filter, as Docker's json-file reader does.
 */
import type { FileHandle } from 'node:fs/promises';
import { isPartialTag, recordTags } from './k8s-record.ts';

const CHUNK = 64 * 1024;
/** Enough bytes of a record's start to hold its time, stream and tags. */
const HEAD = 256;
const NL = 0x0a;

/** The byte offset where the last `n` entries of the first `size` bytes begin. */
export async function tailOffset(fh: FileHandle, size: number, n: number): Promise<number> {
  let pos = size;
  // Bytes just right of `pos`, kept so a record starting at a chunk's end still has its header.
  let right: Buffer = Buffer.alloc(0);
  // End offset (after its newline) of the record whose start we are looking for.
  let boundary: number | undefined;
  // Offset after the last newline: bytes past it are a record conmon is still writing.
  let complete: number | undefined;
  let count = 0;
  // Whether the record starting with `head` and ending at `boundary` closes an entry before the end.
  const closesEntry = (head: Buffer): boolean => {
    if (boundary === undefined || complete === undefined || boundary >= complete) return false;
    const tags = recordTags(head);
    return tags === undefined || !isPartialTag(tags);
  };
  while (pos > 0) {
    const start = Math.max(0, pos - CHUNK);
    const chunk = Buffer.alloc(pos - start);
    await readFully(fh, chunk, start);
    const buf = right.length ? Buffer.concat([chunk, right]) : chunk;
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (buf[i] !== NL) continue;
      const off = start + i + 1;
      if (complete === undefined) {
        complete = off;
        if (n <= 0) return complete;
      } else if (closesEntry(buf.subarray(i + 1, i + 1 + HEAD))) {
        // The record [off, boundary) is an F record: an entry starts at `boundary`.
        if (++count >= n) return boundary!;
      }
      boundary = off;
    }
    right = buf.subarray(0, Math.min(buf.length, HEAD));
    pos = start;
  }
  if (complete === undefined) return 0;
  if (closesEntry(right) && ++count >= n) return boundary!;
  return 0;
}

async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new Error(`log file shrank while reading at ${position + done}`);
    done += bytesRead;
  }
}
