/**
 * Failed system calls of `docker cp` worded as dockerd words them (Go's
 * PathError and LinkError: "lstat /a/b: no such file or directory"), with
 * paths inside the container: never the data root's host paths, which
 * Node's own messages would carry.
 */
import { SystemError } from '../../../util/errors.ts';

/** Go's texts (syscall.Errno.Error) of the errno values a copy meets. */
const STRERROR: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'file exists',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'too many levels of symbolic links',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EXDEV: 'invalid cross-device link',
  EROFS: 'read-only file system',
  EBUSY: 'device or resource busy',
  ENOSPC: 'no space left on device',
  ENAMETOOLONG: 'file name too long',
  EMLINK: 'too many links',
  EINVAL: 'invalid argument',
};

export function goStrerror(code: string): string {
  return STRERROR[code] ?? code.toLowerCase();
}

/** `op path…: text` for a Node errno error, or undefined for any other error. */
export function goSyscallError(err: unknown, op: string, ...paths: string[]): SystemError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined;
  return new SystemError(`${[op, ...paths].join(' ')}: ${goStrerror(code)}`, { cause: err });
}

/** A path Go's syscalls refuse (a NUL byte: EINVAL, before any lookup). */
export function refuseNul(op: string, containerPath: string): void {
  if (containerPath.includes('\0')) throw new SystemError(`${op} ${containerPath}: invalid argument`);
}
