/**
 * Failpoints for crash tests. A daemon started with `BERTH_FAILPOINT=<name>`
 * kills itself with SIGKILL (exactly as `kill -9` would) when it reaches
 * the point of that name, so a test can cut an operation between two of
 * its durable steps, an instant no timing can reach reliably. Unset (the
 * only way a user runs berthd), each call is one string comparison.
 *
 * Points: `image-recorded` (an image record written, its tags not yet),
 * `layer-unpacked` (a commit's, import's or load's layer in place, the
 * image record not yet), `image-untagged` (a tag removed, by rmi or a
 * retag), `layer-deleting` (an image's record gone, its layers not yet),
 * `update-applied` (a live container's cgroup updated, its record not yet),
 * `network-recorded` (a created network's record written, the reply not
 * sent), `network-removing` (a removed network's devices gone, its record not yet),
 * `sandbox-recorded` (a sandbox's side file written, its namespace and
 * netavark's set-up not yet), `sandbox-set-up` (netavark's set-up done, the
 * container not yet told), `volume-staged` (a created volume's directory
 * built under its staging name, not yet renamed into place),
 * `volume-trashed` (a removed volume renamed to trash, not yet deleted).
 */
const armed = process.env['BERTH_FAILPOINT'] ?? '';

export function failpoint(name: string): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
