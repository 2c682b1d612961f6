/**
 * The `local` driver's rules, pure: volume names and driver options as
 * dockerd's volume/local checks them (statuses and words asked of the
 * reference dockerd), and the filesystem a volume's options mount.
 *
 * Options: only `type`, `o`, `device` and `size`; `type` and `device` need
 * each other, `o` needs both. `size` asks for a quota, which dockerd grants
 * only on an xfs data root with project quotas; Berth has no quota support,
 * so a valid size other than 0 is refused as dockerd refuses it there.
 */
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import { ramInBytes } from '../../util/size.ts';
import type { FilesystemMount } from '../../drivers/mount/volume-mount.ts';

/** Shown in the error, exactly as dockerd's `names.RestrictedNameChars`. */
const RESTRICTED_NAME_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';
const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

const VALID_OPTIONS = new Set(['type', 'o', 'device', 'size']);
/** Checked in this order (dockerd walks a Go map, whose order varies; this is one it takes). */
const REQUIRED_WITH: [string, string[]][] = [
  ['device', ['type']],
  ['type', ['device']],
  ['o', ['device', 'type']],
];

/** Throws dockerd's error (prefixed `create NAME: `) for a name the local driver refuses. */
export function validateVolumeName(name: string): void {
  if (name.length === 1) {
    throw new InvalidParameterError(`create ${name}: volume name is too short, names should be at least two alphanumeric characters`);
  }
  if (!VALID_NAME.test(name)) {
    throw new InvalidParameterError(
      `create ${name}: ${JSON.stringify(name)} includes invalid characters for a local volume name, only ${JSON.stringify(RESTRICTED_NAME_CHARS)} are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
}

/** Throws dockerd's error (prefixed `create NAME: `) for options the local driver refuses. */
export function validateLocalOptions(name: string, options: Readonly<Record<string, string>> | null | undefined): void {
  if (!options) return;
  const keys = Object.keys(options).sort();
  for (const key of keys) {
    if (!VALID_OPTIONS.has(key)) throw new InvalidParameterError(`create ${name}: invalid option: ${JSON.stringify(key)}`);
  }
  for (const [key, required] of REQUIRED_WITH) {
    if (!(key in options)) continue;
    for (const r of required) {
      if (!(r in options)) throw new InvalidParameterError(`create ${name}: missing required option: ${JSON.stringify(r)}`);
    }
  }
  const size = options['size'];
  if (size !== undefined) {
    let bytes: number;
    try {
      bytes = ramInBytes(size);
    } catch {
      // An untyped error in dockerd: 500.
      throw new SystemError(`create ${name}: invalid size: '${size}'`);
    }
    if (bytes !== 0) throw new InvalidParameterError(`create ${name}: quota size requested but no quota support`);
  }
}

/** The filesystem mounted on the volume's `_data` while it is in use; undefined for a plain directory. */
export function filesystemOf(options: Readonly<Record<string, string>> | null | undefined): FilesystemMount | undefined {
  if (!options) return undefined;
  const type = options['type'] ?? '';
  const device = options['device'] ?? '';
  const o = options['o'] ?? '';
  // dockerd mounts when any of the three is set (validation makes type and device come together).
  if (type === '' && device === '' && o === '') return undefined;
  return { type: type === '' ? 'none' : type, device, options: o };
}

/** dockerd counts a volume in `system df` only when it has no driver options at all. */
export function hasNoOptions(options: Readonly<Record<string, string>> | null | undefined): boolean {
  return !options || Object.keys(options).length === 0;
}
