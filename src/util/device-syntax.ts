/**
 * The syntax of Docker's device settings, shared by the CLI (which checks
 * flags as docker/cli does) and the spec generator (which checks the API's
 * HostConfig as dockerd does).
 */

/** docker's validDeviceMode: a non-empty combination of r, w and m, none twice. */
export function isValidDeviceMode(mode: string): boolean {
  if (mode === '') return false;
  const seen = new Set<string>();
  for (const c of mode) {
    if (!'rwm'.includes(c) || seen.has(c)) return false;
    seen.add(c);
  }
  return true;
}

/** A `--device-cgroup-rule`, `type major:minor access`: groups are type, major, minor, access. */
export const DEVICE_CGROUP_RULE = /^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/;
