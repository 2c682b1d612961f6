/**
 * COPY and ADD, between the builder (builder.ts, which owns containers,
 * cache and commits) and the file work (copy-files.ts): a copy is
 * *prepared* first (sources resolved against their root, globs expanded,
 * ADD URLs downloaded and checked against `--checksum`, a content key
 * computed for the cache), then, on a cache miss only, *applied* to a
 * mounted rootfs, then disposed of (temporary downloads removed) on every
 * path.
 *
 * Semantics are Docker's classic builder's (checked on Docker 20.10):
 * directory sources copy their contents, several sources (or a pattern
 * matching several) need a destination ending in `/` (an existing
 * directory is not enough), a relative destination is relative to WORKDIR,
 * missing parents are created 0755 (owned by the --chown user for a file's
 * parents; by root for a directory's, the new destination directory itself
 * by the --chown user), context files are owned by 0:0 unless `--chown`,
 * files from another stage or image keep their owners, `--chmod` applies
 * to every copied file and directory, ADD extracts local tar archives
 * (gzip, bzip2, xz, uncompressed) with the archive's owners (--chown does
 * not apply) but not downloaded ones, and names a download after the URL's
 * last path segment.
 */
import type { ContextEntry } from './build-context.ts';

/** Where sources are read from. */
export type CopySourceRoot =
  /** The build context (paths are checked to stay inside it; its entries give the content digests). */
  | { kind: 'context'; root: string; entries: ReadonlyMap<string, ContextEntry> }
  /** Another stage's or an image's rootfs, mounted at `root` (`COPY --from`); `imageId` keys the cache. */
  | { kind: 'image'; root: string; imageId: string };

export interface CopyRequest {
  instruction: 'COPY' | 'ADD';
  /** Source paths or patterns, variables already expanded (URLs for ADD). */
  sources: string[];
  /** Heredoc sources (`COPY <<EOF /file`): name → content, already expanded. */
  inline: { name: string; content: string }[];
  /** The destination, expanded, as written. */
  dest: string;
  /** The stage's WORKDIR at this step (absolute). */
  workdir: string;
  /** `--chown=user[:group]` as written (names resolved in the destination rootfs's /etc/passwd and /etc/group). */
  chown?: string;
  /** `--chmod=0755` (octal) as written. */
  chmod?: string;
  /** ADD `--checksum=sha256:…`. */
  checksum?: string;
  /** ADD `--keep-git-dir`, COPY/ADD `--link`: accepted; `--link` copies the same files. */
  link: boolean;
  /** COPY `--exclude` patterns (Dockerfile 1.7). */
  excludes: string[];
  /**
   * ADD URL downloads report here as moby's progress reader does: every
   * 512 KiB (or 1% of a known size, if less; at most every 100 ms) and once
   * at the end. `total` is the Content-Length, -1 when unknown. The classic
   * builder shows each as `{"status":"Downloading","progressDetail":{…}}`
   * and a `{"stream":"\n"}` after each download.
   */
  onDownloadProgress?: (current: number, total: number) => void;
  signal?: AbortSignal;
}

export interface PreparedCopy {
  /**
   * A key that changes whenever what `apply` would write changes: the
   * resolved paths, their content digests, modes, owners (for image sources)
   * and link targets, plus chown/chmod/dest. Docker's `file:<hex>` / `dir:<hex>`
   * / `multi:<hex>` notation, as shown in the history's `COPY file:… in /dst`.
   */
  readonly key: string;
  /** Writes the files into the rootfs mounted at `rootfs`. */
  apply(rootfs: string, signal?: AbortSignal): Promise<void>;
  /** Removes temporary files (downloads). Idempotent. */
  dispose(): Promise<void>;
}

export interface Copier {
  /**
   * Resolves and checksums. Errors (InvalidParameterError) in dockerd's
   * words: `COPY failed: file not found in build context or excluded by
   * .dockerignore: stat x: file does not exist`, `forbidden path outside the
   * build context: ../x`, a checksum mismatch, a failed download.
   */
  prepare(request: CopyRequest, from: CopySourceRoot): Promise<PreparedCopy>;
}
