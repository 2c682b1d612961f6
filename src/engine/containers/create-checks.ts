/**
 * The checks a container's configuration passes at create, in the order
 * dockerd makes them (so the first problem reported is dockerd's), each
 * with dockerd's words and status. dockerd makes most before it looks up
 * the image and some after (a missing image is a 404 before them): those
 * are marked `afterImage` and run in the phase 'create-after-image'.
 * `docker update` runs the same list on the updated HostConfig: the checks
 * marked for it. A check throws; the first to throw wins.
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { validateHostConfig } from '../../drivers/runtime/spec/generate.ts';
import { validateResources } from '../../drivers/runtime/spec/resources.ts';
import { availableCpuset, checkCpuset } from '../../drivers/cgroups/cpuset.ts';
import { blkioFeatures } from '../../drivers/cgroups/features.ts';
import { checkUlimitsApplicable } from '../../drivers/host-limits.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { checkMountPoints, checkMounts, parseVolumesFrom } from './binds.ts';
import { checkIdmaps } from './idmap.ts';
import {
  checkAutoRemove, checkCgroupnsMode, checkEnv, checkExtraHosts, checkHealthcheck, checkIsolation, checkNetworkMode, checkPortBindings, checkQos,
  checkRealtime, checkRuntime, checkWorkingDir,
} from './config-checks.ts';
import { validateRestartPolicy } from './restart-policy.ts';
import { parseSignal } from './signals.ts';

export interface CheckInput {
  /** The user's Config (create only). */
  config?: ContainerConfig;
  /** The HostConfig as it will be stored (after normalisation, or with the update applied). */
  hostConfig: HostConfig;
  /** An update's requested changes (update only): some checks look only at what changes. */
  changes?: Partial<HostConfig>;
  hostCpus: number;
  /** Whether a container of this name or ID exists. */
  containerExists(ref: string): boolean;
}

export interface Check {
  name: string;
  update: boolean;
  /** dockerd makes it once the image is found. */
  afterImage?: boolean;
  run(input: CheckInput): void;
}

export type CheckPhase = 'create' | 'create-after-image' | 'update';

export const CHECKS: readonly Check[] = [
  // dockerd's request decoder (moby decodeContainerConfig), before anything else.
  { name: 'network mode', update: false, run: ({ config, hostConfig }) => checkNetworkMode(config ?? {}, hostConfig) },
  { name: 'isolation', update: false, run: ({ hostConfig }) => checkIsolation(hostConfig.Isolation) },
  { name: 'qos', update: false, run: ({ hostConfig }) => checkQos(hostConfig) },
  { name: 'real-time', update: false, run: ({ hostConfig }) => checkRealtime(hostConfig) },
  {
    name: 'image', // dockerd: "Config cannot be empty in order to create a container"; its CLI sends none without an image
    update: false,
    run: ({ config }) => {
      if (config && !config.Image) throw new InvalidParameterError('No image specified');
    },
  },
  // The Config (moby validateContainerConfig).
  { name: 'working dir', update: false, run: ({ config }) => checkWorkingDir(config?.WorkingDir) },
  {
    name: 'stop signal',
    update: false,
    run: ({ config }) => {
      // parseSignal reads it as Go does (a number but 0 is taken, a negative one too); Linux's range is checked at stop.
      if (config?.StopSignal) parseSignal(config.StopSignal);
    },
  },
  { name: 'env', update: false, run: ({ config }) => checkEnv(config?.Env) },
  { name: 'healthcheck', update: false, run: ({ config }) => checkHealthcheck(config?.Healthcheck) },
  // The HostConfig (moby validateHostConfig).
  { name: 'auto remove', update: false, run: ({ hostConfig }) => checkAutoRemove(hostConfig) },
  { name: 'mounts', update: false, run: ({ hostConfig }) => checkMounts(hostConfig) },
  // Berth: the idmap option of binds and volumes (idmap-option.ts).
  { name: 'idmaps', update: false, run: ({ hostConfig }) => checkIdmaps(hostConfig) },
  { name: 'extra hosts', update: false, run: ({ hostConfig }) => checkExtraHosts(hostConfig.ExtraHosts) },
  { name: 'port bindings', update: false, run: ({ hostConfig }) => checkPortBindings(hostConfig.PortBindings) },
  { name: 'restart policy', update: true, run: ({ hostConfig }) => validateRestartPolicy(hostConfig.RestartPolicy) },
  // The host's limits (moby verifyPlatformContainerSettings).
  {
    name: 'resources',
    update: true,
    run: ({ hostConfig, hostCpus, changes }) => {
      // An update's own resources are checked (its NanoCpus with its CpuPeriod…), as dockerd does;
      // how they sit with the container's is `checkUpdateConflicts`'s.
      if (changes) validateResources(changes, hostCpus, { update: true });
      else validateHostConfig(hostConfig, hostCpus);
    },
  },
  { name: 'cpuset', update: true, run: ({ hostConfig, changes }) => checkCpuset(changes ?? hostConfig, availableCpuset()) },
  { name: 'ulimits', update: false, run: ({ hostConfig }) => checkUlimitsApplicable(hostConfig.Ulimits) },
  { name: 'runtime', update: false, run: ({ hostConfig }) => checkRuntime(hostConfig.Runtime) },
  { name: 'cgroupns mode', update: false, run: ({ hostConfig }) => checkCgroupnsMode(hostConfig.CgroupnsMode) },
  { name: 'namespace donors', update: false, run: checkNamespaceDonors },
  // Once the image is found: the container's mounts, then its namespaces.
  { name: 'volumes from', update: false, afterImage: true, run: checkVolumesFrom },
  { name: 'mount points', update: false, afterImage: true, run: ({ hostConfig }) => checkMountPoints(hostConfig) },
  // An unknown IPC or PID mode is taken here and refused at start, as dockerd does (runtime-spec).
];

/** Run the checks of `phase`, in order. */
export function runChecks(phase: CheckPhase, input: CheckInput, checks: readonly Check[] = CHECKS): void {
  for (const check of checks) {
    const runs = phase === 'update' ? check.update : (phase === 'create-after-image') === Boolean(check.afterImage);
    if (runs) check.run(input);
  }
}

/**
 * `--ipc` and `--pid` as dockerd takes them at create: a `container:<name>`
 * that exists (before the image is looked up), then a known mode (after).
 * Whether the donor runs is asked at start.
 */
function checkNamespaceDonors({ hostConfig, containerExists }: CheckInput): void {
  for (const mode of [hostConfig.IpcMode ?? '', hostConfig.PidMode ?? '']) {
    if (!/^container:./.test(mode)) continue;
    const ref = mode.slice('container:'.length);
    // dockerd's words, but not a 404: the docker CLI would take that for a missing image and pull.
    if (!containerExists(ref)) throw new InvalidParameterError(`No such container: ${ref}`);
  }
}

/**
 * `--volumes-from`: each entry well formed and naming a container that
 * exists, in turn (400, as dockerd, not the 404 that would make its CLI pull).
 * Berth has no volumes yet: an existing container's are not copied.
 */
function checkVolumesFrom({ hostConfig, containerExists }: CheckInput): void {
  for (const spec of hostConfig.VolumesFrom ?? []) {
    const { container } = parseVolumesFrom(spec);
    if (container === '') throw new InvalidParameterError('invalid name or ID supplied: ""');
    if (!containerExists(container)) throw new InvalidParameterError(`No such container: ${container}`);
  }
}

/**
 * Settings this host's kernel cannot apply are dropped with dockerd's
 * warnings, as dockerd does at create, before the checks; and dockerd's
 * warnings about settings it keeps as given. Changes `hostConfig`.
 */
export async function discardUnsupported(hostConfig: HostConfig): Promise<string[]> {
  const warnings: string[] = [];
  const blkio = await blkioFeatures();
  if ((hostConfig.BlkioWeight ?? 0) > 0 && !blkio.weight) {
    warnings.push('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
    hostConfig.BlkioWeight = 0;
  }
  if ((hostConfig.BlkioWeightDevice ?? []).length > 0 && !blkio.weightDevice) {
    warnings.push('Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.');
    hostConfig.BlkioWeightDevice = [];
  }
  if (hostConfig.OomKillDisable && !(hostConfig.Memory ?? 0)) {
    warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  }
  if ((hostConfig.KernelMemory ?? 0) > 0) warnings.push('Specifying a kernel memory limit is deprecated and will be removed in a future release.');
  // Kept in HostConfig as given, and published nowhere: the container has the host's ports.
  if (hostConfig.NetworkMode === 'host' && Object.keys(hostConfig.PortBindings ?? {}).length > 0) warnings.push('Published ports are discarded when using host network mode');
  return warnings;
}
