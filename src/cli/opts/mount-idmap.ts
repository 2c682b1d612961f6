/**
 * Berth's `idmap=MAPPING` key of `--mount` (an id-mapped bind or volume):
 * the MAPPING goes unchecked into the Engine API's extension field,
 * `BindOptions.BerthIDMap` or `VolumeOptions.BerthIDMap` (dockerd ignores
 * both); the daemon checks the grammar (engine/containers/idmap-option.ts:
 * `uids=HOST-CONTAINER-COUNT[#…];gids=…`). Call after the mount's other keys
 * are read and checked.
 */
import type { Mount } from '../../wire/container-config.ts';

export function setMountIdmap(mount: Mount, mapping: string): void {
  if (mount.Type === 'bind') (mount.BindOptions ??= {}).BerthIDMap = mapping;
  else if (mount.Type === 'volume') {
    const options = (mount.VolumeOptions ??= { Labels: {} });
    options.DriverConfig ??= {};
    options.BerthIDMap = mapping;
  } else throw new Error(`idmap is only for bind and volume mounts, not '${mount.Type}'`);
}
