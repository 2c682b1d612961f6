/**
 * A build's context: the files a Dockerfile may COPY/ADD, unpacked from the
 * client's tar (or fetched from a `remote` URL) into a private directory,
 * with `.dockerignore` (or `<Dockerfile>.dockerignore`) already applied.
 *
 * Lifecycle: `openBuildContext` (context.ts) makes one per build; the
 * builder reads the Dockerfile and copies from it; `close` removes the
 * directory, on every path (a `finally`).
 *
 * `entries` is filled while the tar is unpacked (each file's sha256 computed
 * as it streams to disk), so that COPY's cache key needs no second read of
 * the context.
 */
import type { Readable } from 'node:stream';

export type ContextEntryType = 'file' | 'directory' | 'symlink';

export interface ContextEntry {
  /** Relative to the context's root, '/'-separated, no leading './' or '/' (the root itself is ''). */
  path: string;
  type: ContextEntryType;
  /** Permission bits and setuid/setgid/sticky (no file-type bits). */
  mode: number;
  uid: number;
  gid: number;
  /** Files only. */
  size: number;
  /** Files only: `sha256:<hex>` of the content. Hard links get their target's. */
  digest?: string;
  /** Symlinks only. */
  linkname?: string;
  /** Seconds since the epoch. */
  mtime: number;
}

export interface BuildContext {
  /** The directory holding the context's files (after .dockerignore). */
  readonly root: string;
  /** Every entry that survived .dockerignore, by path (directories included). */
  readonly entries: ReadonlyMap<string, ContextEntry>;
  /**
   * The Dockerfile's text, found by the name the request gave (`dockerfile`,
   * default `Dockerfile`, relative to the root; also looked up as
   * `dockerfile` lower-case as dockerd does). It is readable even when
   * .dockerignore excludes it. When absent, `openBuildContext` fails with a
   * SystemError in dockerd's words and status (500: "Cannot locate
   * specified Dockerfile: X").
   */
  readonly dockerfile: string;
  /** The Dockerfile's name within the context, as used (for error messages). */
  readonly dockerfileName: string;
  /** Removes the directory. Idempotent. */
  close(): Promise<void>;
  /**
   * Resolves once every file's content is on disk under `root` (files
   * may be held in memory until then, placeholders in their place: names,
   * types and links are right, content, owner, mode and mtime are not).
   * The builder awaits it before reading files from `root` (a COPY/ADD
   * that missed the cache, a RUN mount of the context); keys need only
   * `entries`. `sources`: the context paths (or patterns) to be read, so
   * that only those are written; all when absent. Absent: the files are there.
   */
  ready?(sources?: readonly string[]): Promise<void>;
}

/** Where a context comes from: the request body (a tar, possibly compressed, or a bare Dockerfile) or `remote=`. */
export type ContextSource =
  | { kind: 'body'; stream: Readable }
  | { kind: 'remote'; url: string };
