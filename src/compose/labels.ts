/**
 * Docker Compose's labels and resource names (pkg/api/labels.go and
 * convergence naming in Compose v2): every container, network and volume a
 * project owns carries them, so Docker Compose and berth compose recognise
 * each other's resources.
 */
export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
export const NUMBER_LABEL = 'com.docker.compose.container-number';
export const ONEOFF_LABEL = 'com.docker.compose.oneoff';
export const CONFIG_HASH_LABEL = 'com.docker.compose.config-hash';
export const CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files';
export const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';
export const ENV_FILE_LABEL = 'com.docker.compose.project.environment_file';
export const VERSION_LABEL = 'com.docker.compose.version';
export const DEPENDENCIES_LABEL = 'com.docker.compose.depends_on';
export const IMAGE_DIGEST_LABEL = 'com.docker.compose.image';
export const NETWORK_LABEL = 'com.docker.compose.network';
export const VOLUME_LABEL = 'com.docker.compose.volume';
export const CONTAINER_REPLACE_LABEL = 'com.docker.compose.replace';

/** The Compose version berth compose speaks for (com.docker.compose.version, `compose version`). */
export const COMPOSE_VERSION = '2.29.7';

/** Compose v2's separator in container names (v1 used `_`). */
export const SEPARATOR = '-';

/** `<project>-<service>-<n>`, or the service's container_name. */
export function containerName(project: string, service: { name: string; container_name?: string }, number: number): string {
  return service.container_name || [project, service.name, String(number)].join(SEPARATOR);
}

/** A one-off (`run`) container's name: `<project>-<service>-run-<12 hex>`. */
export function oneoffName(project: string, service: string, random: string): string {
  return [project, service, 'run', random].join(SEPARATOR);
}

/** The image a service without `image:` is built as: `<project>-<service>` (Compose v2's default tag). */
export function defaultImageName(project: string, service: { name: string; image?: string }): string {
  return service.image || `${project}${SEPARATOR}${service.name}`;
}

/** The label filter selecting a project's resources (and optionally one service's, and one-offs or not). */
export function projectFilter(project: string, opts: { service?: string; oneoff?: boolean } = {}): string {
  const label = [`${PROJECT_LABEL}=${project}`];
  if (opts.service) label.push(`${SERVICE_LABEL}=${opts.service}`);
  if (opts.oneoff !== undefined) label.push(`${ONEOFF_LABEL}=${opts.oneoff ? 'True' : 'False'}`);
  return JSON.stringify({ label });
}
