/**
 * Device cgroup rules from `HostConfig`: the permissions of each `--device`
 * and the `--device-cgroup-rule` strings (moby `oci.DevicesFromPath` and
 * `oci.AppendDevicePermissionsFromCgroupRules`: same regex, same words).
 * Pure; the devices themselves are resolved on the host by the caller.
 */
import { InvalidParameterError } from '../../../util/errors.ts';
import { DEVICE_CGROUP_RULE } from '../../../util/device-syntax.ts';
import type { HostConfig } from '../../../wire/container-config.ts';
import type { OciDevice, OciDeviceCgroup } from './types.ts';

/** Access used when a device mapping leaves `CgroupPermissions` empty. */
export const DEFAULT_DEVICE_PERMISSIONS = 'rwm';

/**
 * One `--device-cgroup-rule` → an allow rule. `*` becomes -1, runc's
 * wildcard, as dockerd writes it.
 */
export function parseDeviceCgroupRule(rule: string): OciDeviceCgroup {
  const m = typeof rule === 'string' ? DEVICE_CGROUP_RULE.exec(rule) : null;
  if (!m) throw new InvalidParameterError(`invalid device cgroup rule format: '${String(rule)}'`);
  const number = (text: string | undefined) => (text === '*' || text === undefined ? -1 : Number(text));
  return { allow: true, type: m[1] as 'a' | 'b' | 'c', major: number(m[2]), minor: number(m[3]), access: m[4] };
}

/** The allow rule for one resolved `--device` (moby's deviceCgroup). */
export function deviceAllowRule(device: OciDevice, permissions: string): OciDeviceCgroup | undefined {
  if (device.type !== 'c' && device.type !== 'b') return undefined;
  return { allow: true, type: device.type, major: device.major ?? null, minor: device.minor ?? null, access: permissions || DEFAULT_DEVICE_PERMISSIONS };
}

/**
 * `--device` settings as dockerd takes them: nothing is refused here. A
 * malformed cgroup rule fails the start (the spec's generation refuses it),
 * and a device's permissions go to the runtime as given (dockerd checks them
 * only in its CLI; the device cgroup ignores letters it does not know).
 */
export function validateDeviceSettings(_h: HostConfig): void {}
