/**
 * The system calls the layer store needs that Node lacks (whiteouts are
 * 0/0 character devices; opaque dirs and capabilities are xattrs). store/
 * may not import drivers/, so the composition root hands in `native()` from
 * src/drivers/native.ts, which implements this interface.
 */
export interface LayerSyscalls {
  mknod(path: string, mode: number, dev: number): void;
  lsetxattr(path: string, name: string, value: Buffer): void;
  lgetxattr(path: string, name: string): Buffer | null;
}
