/**
 * The daemon's two roots are private, as dockerd's are: a container's
 * record holds its environment (passwords, tokens) and its directory its
 * writable layer, and container IDs are public (any user reads them in
 * /proc/mounts). The data root is 0710 (no one but root and its group can
 * reach anything below it, whatever a file's own mode) and the exec root
 * 0700. Roots made by an older berthd (0711) are corrected at every start,
 * as dockerd corrects its own.
 */
import { promises as fs } from 'node:fs';

export const DATA_ROOT_MODE = 0o710;
export const EXEC_ROOT_MODE = 0o700;
/** `containers/` and each `containers/<id>/`: dockerd's 0710. */
export const CONTAINER_DIR_MODE = 0o710;

/** Make the roots (and `containers/`) if missing and give them their modes. */
export async function ensurePrivateRoots(dataRoot: string, execRoot: string): Promise<void> {
  const dirs: Array<[string, number]> = [
    [dataRoot, DATA_ROOT_MODE],
    [execRoot, EXEC_ROOT_MODE],
    [`${dataRoot}/containers`, CONTAINER_DIR_MODE],
  ];
  for (const [dir, mode] of dirs) {
    await fs.mkdir(dir, { recursive: true, mode });
    await fs.chmod(dir, mode);
  }
}
