/**
 * ADD's local archives. A source file is an archive when, once
 * decompressed (gzip, bzip2, xz or zstd, recognised by their magic bytes,
 * as moby's DecompressStream does; zstd since Docker 23, 20.10 copies a
 * `.tar.zst` as it is), it starts with a valid tar header
 * (moby's isArchivePath: `tar.NewReader(…).Next()` succeeds); anything else,
 * a gzip of a text file included, is copied as a plain file. An archive is
 * unpacked into the destination directory with the headers' owners, modes
 * and times (the classic builder ignores --chown here), replacing what is
 * in the way, without interpreting whiteouts.
 *
 * gzip is Node's own; bzip2, xz and zstd run Debian's tools on the file
 * (their argument, so no stdin to feed), through the one spawner, killed
 * when the read stops early or the build is cancelled.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { spawnStreaming } from '../../drivers/exec-file.ts';
import { extractTar } from '../containers/archive/tar-extract.ts';

const FORMATS: { magic: number[]; tool?: [string, string[]] }[] = [
  { magic: [0x1f, 0x8b] },
  { magic: [0x42, 0x5a, 0x68], tool: ['bzip2', ['-d', '-c', '--']] },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], tool: ['xz', ['-d', '-c', '-q', '--']] },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], tool: ['zstd', ['-d', '-c', '-q', '--']] },
];

interface Decompressed {
  stream: Readable;
  /** Settles when the decompressor is done (rejects when it failed). */
  done: Promise<void>;
  /** Stops reading (kills a decompressing tool). */
  stop(): void;
}

async function head(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function openDecompressed(file: string, signal?: AbortSignal): Promise<Decompressed> {
  const magic = await head(file, 6);
  const format = FORMATS.find((f) => f.magic.every((b, i) => magic[i] === b));
  if (format?.tool) {
    const stopper = new AbortController();
    const signals = signal ? AbortSignal.any([signal, stopper.signal]) : stopper.signal;
    const [command, args] = format.tool;
    const program = spawnStreaming(command, [...args, file], { signal: signals });
    return { stream: program.stdout, done: program.done.then(() => undefined), stop: () => stopper.abort() };
  }
  const raw = createReadStream(file, { signal });
  if (!format) return { stream: raw, done: Promise.resolve(), stop: () => raw.destroy() };
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  return { stream: gunzip, done: Promise.resolve(), stop: () => (raw.destroy(), gunzip.destroy()) };
}

/** Reads up to `n` bytes of a stream (fewer when it ends or fails first). */
async function readUpTo(stream: Readable, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      have += (chunk as Buffer).length;
      if (have >= n) break;
    }
  } catch {
    // A stream that fails to decompress is no archive.
  }
  return Buffer.concat(parts).subarray(0, n);
}

/**
 * Whether a 512-byte block is a tar header Go's reader accepts: not all
 * zeros (that is the end of an archive, io.EOF) and a checksum field equal
 * to the sum of the block's bytes taken unsigned or signed, the field
 * itself counted as spaces.
 */
export function isTarHeader(block: Buffer): boolean {
  if (block.length < 512 || block.every((b) => b === 0)) return false;
  const field = block.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  const recorded = Number.parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return recorded === unsigned || recorded === signed;
}

/** moby's isArchivePath. */
export async function isArchive(file: string, signal?: AbortSignal): Promise<boolean> {
  const d = await openDecompressed(file, signal);
  const block = await readUpTo(d.stream, 512);
  d.stop();
  d.stream.destroy();
  await d.done.catch(() => {
    // Stopped on purpose, or not decompressible: either way the block decides.
  });
  return isTarHeader(block);
}

/** Unpacks the archive `file` into `dest`, a directory (existing) inside the rootfs at `rootfs`. */
export async function extractArchive(rootfs: string, file: string, dest: string, signal?: AbortSignal): Promise<void> {
  const d = await openDecompressed(file, signal);
  try {
    await extractTar({ root: rootfs, mounts: [] }, dest, d.stream, { noOverwriteDirNonDir: false, signal });
  } catch (err) {
    d.stop();
    await d.done.catch(() => {
      // The extraction's error is the one to report.
    });
    throw err;
  }
  await d.done;
}
