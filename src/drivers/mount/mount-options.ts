/**
 * mount(8)-style option strings as moby's mount package reads them
 * (moby/sys/mount ParseOptions), pure: each comma-separated word that names
 * a mount flag sets or clears it, every other word (and "defaults", whose
 * flag is 0) goes to the filesystem's data. Also the words of its errors.
 */

/** mount(2) flags (linux/mount.h). */
export const MOUNT_FLAGS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  SYNCHRONOUS: 0x10,
  REMOUNT: 0x20,
  MANDLOCK: 0x40,
  DIRSYNC: 0x80,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  BIND: 0x1000,
  REC: 0x4000,
  SILENT: 0x8000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
} as const;

const F = MOUNT_FLAGS;
/** word → [clears the flag, flag]. */
const WORDS: Record<string, [boolean, number]> = {
  defaults: [false, 0],
  ro: [false, F.RDONLY],
  rw: [true, F.RDONLY],
  suid: [true, F.NOSUID],
  nosuid: [false, F.NOSUID],
  dev: [true, F.NODEV],
  nodev: [false, F.NODEV],
  exec: [true, F.NOEXEC],
  noexec: [false, F.NOEXEC],
  sync: [false, F.SYNCHRONOUS],
  async: [true, F.SYNCHRONOUS],
  dirsync: [false, F.DIRSYNC],
  remount: [false, F.REMOUNT],
  mand: [false, F.MANDLOCK],
  nomand: [true, F.MANDLOCK],
  atime: [true, F.NOATIME],
  noatime: [false, F.NOATIME],
  diratime: [true, F.NODIRATIME],
  nodiratime: [false, F.NODIRATIME],
  bind: [false, F.BIND],
  rbind: [false, F.BIND | F.REC],
  unbindable: [false, F.UNBINDABLE],
  runbindable: [false, F.UNBINDABLE | F.REC],
  private: [false, F.PRIVATE],
  rprivate: [false, F.PRIVATE | F.REC],
  shared: [false, F.SHARED],
  rshared: [false, F.SHARED | F.REC],
  slave: [false, F.SLAVE],
  rslave: [false, F.SLAVE | F.REC],
  relatime: [false, F.RELATIME],
  norelatime: [true, F.RELATIME],
  strictatime: [false, F.STRICTATIME],
  nostrictatime: [true, F.STRICTATIME],
};

/** The propagation types: applied by a second mount(2) call, as moby does. */
export const PROPAGATION_TYPES = F.SHARED | F.PRIVATE | F.SLAVE | F.UNBINDABLE;
export const PROPAGATION_FLAGS = PROPAGATION_TYPES | F.REC | F.SILENT;

export function parseMountOptions(options: string): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const word of options.split(',')) {
    const known = WORDS[word];
    if (known && known[1] !== 0) flags = known[0] ? flags & ~known[1] : flags | known[1];
    else data.push(word);
  }
  return { flags: flags >>> 0, data: data.join(',') };
}

/** moby's mountError text: `mount SOURCE:TARGET, flags: 0x…, data: …: <errno text>`, a cifs password masked. */
export function mountErrorText(op: string, source: string, target: string, flags: number, data: string, reason: string): string {
  let out = `${op} ${source !== '' ? `${source}:${target}` : target}`;
  if (flags !== 0) out += `, flags: 0x${(flags >>> 0).toString(16)}`;
  if (data !== '') out += `, data: ${data}`;
  out += `: ${reason}`;
  const password = /(?:^|,)password=([^,]*)/.exec(data)?.[1];
  return password ? out.replace(`password=${password}`, 'password=********') : out;
}

/** Go's text of an errno (syscall.Errno.Error()): strerror with a lower-case first letter. */
export function goErrnoText(strerror: string): string {
  return strerror.charAt(0).toLowerCase() + strerror.slice(1);
}
