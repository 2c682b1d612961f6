/**
 * Device cgroup rules from `HostConfig`: the permissions of each `--device`
 * and the `--device-cgroup-rule` strings (moby `oci.DevicesFromPath` and
 * `oci.AppendDevicePermissionsFromCgroupRules`: same regex, same words).
 * Pure; the devices themselves are resolved on the host by the caller.
 */
import { InvalidParameterError } from '../../../util/errors.ts';
import { DEVICE_CGROUP_RULE, isValidDeviceMode } from '../../../util/device-syntax.ts';
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
 * Reject malformed device permissions at create time (400), naming the bad
 * value. A malformed cgroup rule is not checked here: dockerd takes it at
 * create and fails the start (the spec's generation refuses it then).
 */
export function validateDeviceSettings(h: HostConfig): void {
  for (const d of h.Devices ?? []) {
    const perms = d.CgroupPermissions ?? '';
    if (perms !== '' && !isValidDeviceMode(perms)) {
      throw new InvalidParameterError(`invalid CgroupPermissions "${perms}" for device "${d.PathOnHost ?? ''}": must be a combination of r, w and m`);
    }
  }
}
