import { spawnSync } from 'node:child_process';

/** The reference Docker engine that ../shared/tools/reference-docker starts. */
export const REFERENCE_DOCKER_HOST = 'unix:///run/refdocker/docker.sock';

/**
 * True when the reference engine answers and holds its busybox-ref image.
 * A socket file alone proves nothing: a stopped engine can leave it behind.
 */
export function referenceDockerRunning(): boolean {
  const probe = spawnSync('/usr/local/bin/docker', ['image', 'inspect', 'busybox-ref'], {
    env: { ...process.env, DOCKER_HOST: REFERENCE_DOCKER_HOST },
    stdio: 'ignore',
    timeout: 10_000,
  });
  return probe.status === 0;
}
