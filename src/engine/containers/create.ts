/**
 * Pure parts of container creation: validating the request and merging the
 * image's config into the user's, exactly as dockerd does before it stores
 * the container (so inspect shows the merged Config).
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { InvalidParameterError, NotFoundError, SystemError } from '../../util/errors.ts';
import { ramInBytes } from '../../util/size.ts';
import { invalidName } from './errors.ts';
import type { ContainerRecord } from './record.ts';

/** The run config of an image (OCI `config` object), as far as the merge needs it. */
export interface ImageConfigLike {
  User?: string;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  ExposedPorts?: Record<string, Record<string, never>> | null;
  Volumes?: Record<string, Record<string, never>> | null;
  StopSignal?: string;
  Healthcheck?: unknown;
  OnBuild?: string[] | null;
  Shell?: string[] | null;
}

const NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** "/web" for "web" or "/web"; throws Docker's message for an invalid name. */
export function normalizeName(name: string): string {
  if (!NAME.test(name)) throw invalidName(name);
  return name.startsWith('/') ? name : `/${name}`;
}

const envKey = (entry: string) => entry.split('=', 1)[0]!;

/** dockerd's merge of image config into the user's config (daemon/commit.go `merge`). */
export function mergeImageConfig(user: ContainerConfig, image: ImageConfigLike): ContainerConfig {
  const out: ContainerConfig = { ...user };
  if (!out.User) out.User = image.User ?? '';
  if (image.ExposedPorts && Object.keys(image.ExposedPorts).length) out.ExposedPorts = { ...image.ExposedPorts, ...(out.ExposedPorts ?? {}) };
  if (!out.Env || out.Env.length === 0) out.Env = [...(image.Env ?? [])];
  else {
    const keys = new Set(out.Env.map(envKey));
    out.Env = [...out.Env, ...(image.Env ?? []).filter((e) => !keys.has(envKey(e)))];
  }
  if (image.Labels) out.Labels = { ...image.Labels, ...(out.Labels ?? {}) };
  if (!out.Entrypoint || out.Entrypoint.length === 0) {
    if (!out.Cmd || out.Cmd.length === 0) out.Cmd = image.Cmd ?? null;
    if (out.Entrypoint === undefined || out.Entrypoint === null || out.Entrypoint.length === 0) {
      out.Entrypoint = image.Entrypoint ?? null;
    }
  }
  if (!out.WorkingDir) out.WorkingDir = image.WorkingDir ?? '';
  if (image.Volumes && Object.keys(image.Volumes).length) out.Volumes = { ...image.Volumes, ...(out.Volumes ?? {}) };
  // An empty map is kept as none, as dockerd shows it (`"Volumes": null`).
  if (out.Volumes && Object.keys(out.Volumes).length === 0) out.Volumes = null;
  if (!out.StopSignal && image.StopSignal) out.StopSignal = image.StopSignal;
  if (image.Healthcheck) {
    // dockerd's merge: the container's healthcheck, its unset parts taken from the image's.
    const img = image.Healthcheck as NonNullable<ContainerConfig['Healthcheck']>;
    if (!out.Healthcheck) out.Healthcheck = img;
    else {
      const hc = { ...out.Healthcheck };
      if (!hc.Test || hc.Test.length === 0) hc.Test = img.Test;
      if (!hc.Interval) hc.Interval = img.Interval;
      if (!hc.Timeout) hc.Timeout = img.Timeout;
      if (!hc.StartPeriod) hc.StartPeriod = img.StartPeriod;
      if (!hc.Retries) hc.Retries = img.Retries;
      out.Healthcheck = hc;
    }
  }
  if (!out.OnBuild || out.OnBuild.length === 0) out.OnBuild = image.OnBuild ?? null;
  if (!out.Shell && image.Shell) out.Shell = image.Shell;
  return out;
}

/** Path and Args as dockerd records them: entrypoint + cmd, first word is Path. */
export function commandOf(config: ContainerConfig): { path: string; args: string[] } {
  const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  if (argv.length === 0) throw new InvalidParameterError('No command specified');
  return { path: argv[0]!, args: argv.slice(1) };
}

/**
 * Links name containers that must exist (dockerd: 400 at create); they are
 * kept as dockerd keeps them, "/target:/container/alias". (The network
 * mode is checked at start, as dockerd does.)
 */
export function resolveLinks(links: readonly string[], containerName: string, resolve: (ref: string) => ContainerRecord): string[] {
  return links.map((link) => {
    const [target = '', alias] = link.split(':');
    const name = target.replace(/^\//, '');
    let linked: ContainerRecord;
    try {
      linked = resolve(name);
    } catch (err) {
      if (err instanceof NotFoundError) throw new InvalidParameterError(`could not get container for ${name}: No such container: ${name}`, { cause: err });
      throw err;
    }
    return `${linked.name}:${containerName}/${(alias || name).replace(/^\//, '')}`;
  });
}

/** dockerd's create-time normalisation of HostConfig: "unset" spelled as -1 or 0 becomes null. */
/** Log drivers Berth takes: all keep the container's log for attach; `none` cannot be read back. */
export const LOG_DRIVERS = new Set(['json-file', 'local', 'none']);

/**
 * The host config as stored: defaults filled in the way dockerd fills them
 * at create (`LogConfig.Type` the daemon's default driver, `CgroupnsMode`
 * host on cgroup v1 and private on v2), and unset values normalized.
 */
export function normalizeHostConfig(
  h: HostConfig,
  defaults: { cgroupnsMode: 'host' | 'private'; logConfig?: { Type: string; Config: Record<string, string> }; shmSize?: number } = { cgroupnsMode: 'host' },
): HostConfig {
  const out = { ...h };
  // The daemon's log driver, and its log-opts for the options a container of that driver leaves out (moby mergeAndVerifyLogConfig).
  const daemonLog = defaults.logConfig ?? { Type: 'json-file', Config: {} };
  const type = out.LogConfig?.Type || daemonLog.Type;
  const config = { ...(out.LogConfig?.Config ?? {}) };
  if (type === daemonLog.Type) for (const [k, v] of Object.entries(daemonLog.Config)) if (!(k in config)) config[k] = v;
  out.LogConfig = { Type: type, Config: config };
  if (!out.ShmSize && defaults.shmSize) out.ShmSize = defaults.shmSize;
  if (!LOG_DRIVERS.has(out.LogConfig.Type!)) {
    throw new InvalidParameterError(`error looking up logging plugin ${out.LogConfig.Type}: plugin "${out.LogConfig.Type}" not found`);
  }
  validateLogOptions(out.LogConfig.Type!, out.LogConfig.Config ?? {});
  if (!out.CgroupnsMode) out.CgroupnsMode = defaults.cgroupnsMode;
  if (out.MemorySwappiness === -1) out.MemorySwappiness = null;
  // dockerd's default swap limit: twice the memory limit, stored as such.
  if ((out.Memory ?? 0) > 0 && !out.MemorySwap) out.MemorySwap = out.Memory! * 2;
  if (out.PidsLimit !== undefined && out.PidsLimit !== null && out.PidsLimit <= 0) out.PidsLimit = null;
  return out;
}

/** The `--log-opt` keys each driver takes, besides the common `mode` and `max-buffer-size`. */
const LOG_DRIVER_OPTIONS: Record<string, readonly string[]> = {
  'json-file': ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  local: ['max-file', 'max-size', 'compress'],
};

/** dockerd's create-time check of `--log-opt`s (moby `logger.ValidateLogOpts`), with its words (400). */
export function validateLogOptions(driver: string, options: Record<string, string>): void {
  if (driver === 'none') return;
  const mode = options.mode ?? '';
  if (mode !== '' && mode !== 'blocking' && mode !== 'non-blocking') throw new InvalidParameterError(`logger: logging mode not supported: ${mode}`);
  if ('max-buffer-size' in options) {
    if (mode !== 'non-blocking') throw new InvalidParameterError("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
  }
  const known = LOG_DRIVER_OPTIONS[driver] ?? [];
  for (const key of Object.keys(options)) {
    if (key === 'mode' || key === 'max-buffer-size' || known.includes(key)) continue;
    // Each driver words its own refusal.
    throw new InvalidParameterError(driver === 'local' ? `unknown log opt '${key}' for log driver local` : `unknown log opt '${key}' for ${driver} log driver`);
  }
}

/**
 * The size at which the log starts afresh (`--log-opt max-size`), checked
 * as dockerd's json-file logger checks its options when it starts (500,
 * "failed to initialize logging driver: …"); undefined when unlimited.
 * Older files are not kept: conmon, which writes the log, replaces it, so
 * `max-file` above 1 keeps no more history than 1 does.
 */
export function logSizeLimit(config: { Type?: string; Config?: Record<string, string> } | undefined): number | undefined {
  if (!config || config.Type === 'none') return undefined;
  const options = config.Config ?? {};
  const fail = (why: string) => new SystemError(`failed to initialize logging driver: ${why}`);
  let limit: number | undefined;
  if (options['max-size'] !== undefined) {
    try {
      limit = ramInBytes(options['max-size']);
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
  const maxFile = options['max-file'];
  if (maxFile !== undefined) {
    if (!/^[+-]?\d+$/.test(maxFile)) throw fail(`strconv.Atoi: parsing ${JSON.stringify(maxFile)}: invalid syntax`);
    if (Number(maxFile) < 1) throw fail('max-file cannot be less than 1');
  }
  const compress = options['compress'];
  if (compress !== undefined && !['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(compress)) {
    throw fail(`strconv.ParseBool: parsing ${JSON.stringify(compress)}: invalid syntax`);
  }
  return limit !== undefined && limit > 0 ? limit : undefined;
}
