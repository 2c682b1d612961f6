/**
 * The checks a container's configuration passes at create, in the order
 * dockerd makes them (so the first problem reported is dockerd's), each
 * with dockerd's words and status. `docker update` runs the same list on
 * the updated HostConfig: the checks marked for it. A check throws; the
 * first to throw wins.
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { validateHostConfig } from '../../drivers/runtime/spec/generate.ts';
import { availableCpuset, checkCpuset } from '../../drivers/cgroups/cpuset.ts';
import { blkioFeatures } from '../../drivers/cgroups/features.ts';
import { checkUlimitsApplicable } from '../../drivers/host-limits.ts';
import { InvalidParameterError, NotImplementedError } from '../../util/errors.ts';
import { checkMounts, parseBind } from './binds.ts';
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
  run(input: CheckInput): void;
}

export const CHECKS: readonly Check[] = [
  {
    name: 'image', // dockerd: "Config cannot be empty in order to create a container"; its CLI sends none without an image
    update: false,
    run: ({ config }) => {
      if (config && !config.Image) throw new InvalidParameterError('No image specified');
    },
  },
  { name: 'resources', update: true, run: ({ hostConfig, hostCpus }) => validateHostConfig(hostConfig, hostCpus) },
  { name: 'cpuset', update: true, run: ({ hostConfig, changes }) => checkCpuset(changes ?? hostConfig, availableCpuset()) },
  { name: 'ulimits', update: false, run: ({ hostConfig }) => checkUlimitsApplicable(hostConfig.Ulimits) },
  { name: 'restart policy', update: true, run: ({ hostConfig }) => validateRestartPolicy(hostConfig.RestartPolicy) },
  {
    name: 'stop signal',
    update: false,
    run: ({ config }) => {
      if (config?.StopSignal) parseSignal(config.StopSignal);
    },
  },
  { name: 'shared namespaces', update: false, run: checkSharedNamespaces },
  {
    name: 'binds',
    update: false,
    run: ({ hostConfig }) => {
      for (const spec of hostConfig.Binds ?? []) {
        if (parseBind(spec).volume) throw new NotImplementedError(`volumes are not supported yet, only host paths: '${spec}'`);
      }
    },
  },
  { name: 'mounts', update: false, run: ({ hostConfig }) => checkMounts(hostConfig) },
];

/** Run the checks of `phase`, in order. */
export function runChecks(phase: 'create' | 'update', input: CheckInput, checks: readonly Check[] = CHECKS): void {
  for (const check of checks) if (phase === 'create' || check.update) check.run(input);
}

/**
 * `--ipc` and `--pid` as dockerd takes them at create: a known mode, and a
 * `container:<name>` that exists. Whether it runs is asked at start.
 */
function checkSharedNamespaces({ hostConfig, containerExists }: CheckInput): void {
  const ipc = hostConfig.IpcMode ?? '';
  if (!['', 'host', 'private', 'shareable', 'none'].includes(ipc) && !/^container:./.test(ipc)) throw new InvalidParameterError(`invalid IPC mode: ${ipc}`);
  const pid = hostConfig.PidMode ?? '';
  if (!['', 'host'].includes(pid) && !/^container:./.test(pid)) throw new InvalidParameterError(`invalid PID mode: ${pid}`);
  for (const mode of [ipc, pid]) {
    if (!mode.startsWith('container:')) continue;
    const ref = mode.slice('container:'.length);
    // dockerd's words, but not a 404: the docker CLI would take that for a missing image and pull.
    if (!containerExists(ref)) throw new InvalidParameterError(`No such container: ${ref}`);
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
  return warnings;
}
