/**
 * The native addon (native/berth.c): system calls Node has no binding for.
 * Found beside the bundled executable (bin/berth.node) or in native/build when
 * running from source.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemError } from '../util/errors.ts';

export interface NativeAddon {
  mknod(path: string, mode: number, dev: number): void;
  lsetxattr(path: string, name: string, value: Buffer): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  mount(source: string | null, target: string, fstype: string | null, flags: number, data?: string | null): void;
  umount2(target: string, flags: number): void;
  /** Exclusive, non-blocking flock; false when another process holds it. */
  flock(fd: number): boolean;
  /** Connect a SOCK_SEQPACKET unix socket; returns the fd. */
  connectSeqpacket(path: string): number;
  /** Whether the kernel runs x32 system calls (ask only without a seccomp filter of our own). */
  x32Abi(): boolean;
  /** posix_spawn with fds[i] as the child's descriptor i; returns its pid. */
  spawn(file: string, argv: string[], envp: string[], cwd: string | null, fds: number[]): number;
  /** waitpid(WNOHANG) on a child started by spawn: null while it runs. */
  reap(pid: number): { code?: number; signal?: number } | null;
  /** pipe2(O_CLOEXEC): [read end, write end]. */
  pipe(): [number, number];
  /**
   * Attach at `target` an id-mapped clone of the mount tree at `source`
   * (`recursive`: with its submounts), through a user namespace whose
   * uid_map and gid_map are the given texts ("inside outside count" lines).
   */
  idmapMount(source: string, target: string, uidMap: string, gidMap: string, recursive: boolean): void;
  /** Bytes waiting to be read in a pipe or fifo (either end's descriptor). */
  fionread(fd: number): number;
  /** An incremental SHA-256 (pooled-sha256.ts): updates hashed on the thread pool, one batch in flight at a time. */
  sha256New(): Sha256Handle;
  sha256Update(hasher: Sha256Handle, buffers: Buffer[], done: (err: Error | null) => void): void;
  sha256Digest(hasher: Sha256Handle): Buffer;
}

declare const sha256Handle: unique symbol;
export type Sha256Handle = { readonly [sha256Handle]: true };

/** mount(2) flags used by Berth. */
export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  REMOUNT: 32,
  BIND: 4096,
  REC: 16384,
  PRIVATE: 1 << 18,
} as const;
/** umount2(2) flags. */
export const MNT_DETACH = 2;

let addon: NativeAddon | undefined;

export function native(): NativeAddon {
  if (addon) return addon;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, 'berth.node'),
    path.join(here, '../../native/build/Release/berth.node'),
    path.join(here, '../native/build/Release/berth.node'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new SystemError(`native addon not built (looked in ${candidates.join(', ')}); run npm run build`);
  addon = createRequire(import.meta.url)(found) as NativeAddon;
  return addon;
}
