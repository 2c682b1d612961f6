/**
 * The `X-Docker-Container-Path-Stat` header and Docker's path conventions:
 * Go's os.FileMode bits (not unix st_mode), Go's RFC3339Nano times, and Go's
 * filepath semantics for a trailing "/" or "/." that docker cp relies on.
 */
import type { BigIntStats } from 'node:fs';
import path from 'node:path';

/** The JSON Docker base64-encodes into X-Docker-Container-Path-Stat (field order as Docker's). */
export interface PathStat {
  name: string;
  size: number;
  /** Go os.FileMode. */
  mode: number;
  /** RFC3339Nano. */
  mtime: string;
  /** The fully resolved target inside the container when the path is a symlink, else "". */
  linkTarget: string;
}

// Go os.FileMode type bits (io/fs). Arithmetic, not bitwise: 1<<31 is negative in JS.
const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_NAMED_PIPE = 2 ** 25;
const MODE_SOCKET = 2 ** 24;
const MODE_SETUID = 2 ** 23;
const MODE_SETGID = 2 ** 22;
const MODE_CHAR_DEVICE = 2 ** 21;
const MODE_STICKY = 2 ** 20;

/** Unix st_mode → Go os.FileMode. */
export function toGoFileMode(unixMode: number): number {
  let m = unixMode & 0o777;
  switch (unixMode & 0o170000) {
    case 0o040000: m += MODE_DIR; break;
    case 0o120000: m += MODE_SYMLINK; break;
    case 0o060000: m += MODE_DEVICE; break;
    case 0o020000: m += MODE_DEVICE + MODE_CHAR_DEVICE; break;
    case 0o010000: m += MODE_NAMED_PIPE; break;
    case 0o140000: m += MODE_SOCKET; break;
  }
  if (unixMode & 0o4000) m += MODE_SETUID;
  if (unixMode & 0o2000) m += MODE_SETGID;
  if (unixMode & 0o1000) m += MODE_STICKY;
  return m;
}

/** Go's time.Time JSON form in UTC: RFC3339 with the fraction's trailing zeros dropped. */
export function formatNanoTime(ns: bigint): string {
  const sec = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return new Date(Number(sec) * 1000).toISOString().slice(0, 19) + (frac ? '.' + frac : '') + 'Z';
}

export function toPathStat(name: string, st: BigIntStats, linkTarget: string): PathStat {
  return { name, size: Number(st.size), mode: toGoFileMode(Number(st.mode)), mtime: formatNanoTime(st.mtimeNs), linkTarget };
}

/**
 * `path.join('/', p)` cleans away a trailing "/" or "/."; docker cp gives them
 * meaning (the directory's contents, the path must be a directory), so they
 * are put back as the user wrote them (moby's PreserveTrailingDotOrSeparator).
 */
export function absContainerPath(p: string): string {
  const cleaned = path.posix.join('/', p);
  if ((p.endsWith('/.') || p === '.') && !cleaned.endsWith('/.')) return (cleaned === '/' ? '' : cleaned) + '/.';
  if (p.endsWith('/') && !cleaned.endsWith('/')) return cleaned + '/';
  return cleaned;
}

/** Go's filepath.Split: everything up to and including the last '/', and the rest. */
export function splitPath(p: string): { dir: string; base: string } {
  const i = p.lastIndexOf('/');
  return { dir: p.slice(0, i + 1), base: p.slice(i + 1) };
}

/** Go's filepath.Base: trailing slashes dropped; "/" for the root, "." for empty. */
export function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
