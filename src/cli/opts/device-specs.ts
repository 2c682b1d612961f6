/**
 * The device flags of create/run as docker/cli parses them: `--device`
 * (validateLinuxPath + parseLinuxDevice, checked when the body is built),
 * `--device-cgroup-rule`, `--device-{read,write}-{bps,iops}` and
 * `--blkio-weight-device` (checked as each flag is parsed). Pure; messages
 * are docker's.
 */
import path from 'node:path';
import { InvalidParameterError } from '../../util/errors.ts';
import { ramInBytes } from '../format/units.ts';
import { DEVICE_CGROUP_RULE, isValidDeviceMode } from '../../util/device-syntax.ts';

export interface DeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

const CDI_KIND = /^[A-Za-z]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const CDI_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.:-]*[A-Za-z0-9])?$/;

/** A fully qualified CDI device name, `vendor.com/class=name` (container-device-interface's IsQualifiedName). */
export function isCdiDeviceName(device: string): boolean {
  if (device === '' || device.startsWith('/')) return false;
  const eq = device.indexOf('=');
  if (eq <= 0 || eq === device.length - 1) return false;
  const kind = device.slice(0, eq);
  const slash = kind.indexOf('/');
  if (slash <= 0 || slash === kind.length - 1) return false;
  return CDI_KIND.test(kind.slice(0, slash)) && CDI_KIND.test(kind.slice(slash + 1)) && CDI_NAME.test(device.slice(eq + 1));
}

/**
 * `PathOnHost[:PathInContainer][:CgroupPermissions]` → a device mapping; a
 * lone second field that is a valid mode is the permissions. The container
 * path must be absolute.
 */
export function parseDevice(spec: string): DeviceMapping {
  const bad = (message: string) => new InvalidParameterError(message);
  if ((spec.match(/:/g) ?? []).length > 2) throw bad(`bad format for path: ${spec}`);
  const fields = spec.split(':');
  const [first = '', second, third] = fields;
  if (first === '') throw bad(`bad format for path: ${spec}`);
  let src = first;
  let dst = '';
  let permissions = 'rwm';
  if (fields.length === 1) {
    src = cleanPath(first);
    if (!path.posix.isAbsolute(first)) throw bad(`${first} is not an absolute path`);
  } else if (fields.length === 2) {
    if (isValidDeviceMode(second!)) {
      src = cleanPath(first);
      permissions = second!;
      if (!path.posix.isAbsolute(first)) throw bad(`${first} is not an absolute path`);
    } else {
      dst = cleanPath(second!);
      if (!path.posix.isAbsolute(second!)) throw bad(`${second} is not an absolute path`);
    }
  } else {
    if (!isValidDeviceMode(third!)) throw bad(`bad mode specified: ${third}`);
    if (!path.posix.isAbsolute(second!)) throw bad(`${second} is not an absolute path`);
    dst = second!;
    permissions = third!;
  }
  return { PathOnHost: src, PathInContainer: dst || src, CgroupPermissions: permissions };
}

/** Go's path.Clean, which (unlike normalize) drops a trailing slash. */
function cleanPath(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** `--device-cgroup-rule`: `type major:minor access`. */
export function validateDeviceCgroupRule(raw: string): string {
  if (!DEVICE_CGROUP_RULE.test(raw)) throw new Error(`invalid device cgroup format '${raw}'`);
  return raw;
}

function devicePathOf(raw: string): { path: string; value: string } {
  const i = raw.indexOf(':');
  if (i <= 0) throw new Error(`bad format: ${raw}`);
  const p = raw.slice(0, i);
  if (!p.startsWith('/dev/')) throw new Error(`bad format for device path: ${raw}`);
  return { path: p, value: raw.slice(i + 1) };
}

/** `--device-{read,write}-bps`: `<device-path>:<number>[<unit>]`, the unit binary (kb, mb, gb). */
export function parseThrottleBpsDevice(raw: string): { Path: string; Rate: number } {
  const { path: p, value } = devicePathOf(raw);
  let rate: number;
  try {
    rate = ramInBytes(value);
  } catch {
    rate = -1;
  }
  if (rate < 0) {
    throw new Error(`invalid rate for device: ${raw}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb`);
  }
  return { Path: p, Rate: rate };
}

/** `--device-{read,write}-iops`: `<device-path>:<number>`. */
export function parseThrottleIOpsDevice(raw: string): { Path: string; Rate: number } {
  const { path: p, value } = devicePathOf(raw);
  if (!/^\d+$/.test(value)) throw new Error(`invalid rate for device: ${raw}. The correct format is <device-path>:<number>. Number must be a positive integer`);
  return { Path: p, Rate: Number(value) };
}

/** `--blkio-weight-device`: `<device-path>:<weight>`, the weight 10 to 1000 (0 disables). */
export function parseWeightDevice(raw: string): { Path: string; Weight: number } {
  const { path: p, value } = devicePathOf(raw);
  const weight = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(weight <= 65535) || (weight > 0 && (weight < 10 || weight > 1000))) throw new Error(`invalid weight for device: ${raw}`);
  return { Path: p, Weight: weight };
}
