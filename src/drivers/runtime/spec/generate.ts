/**
 * `generateSpec`: a container record + image config + resolved mounts → the
 * OCI `config.json` handed to runc. PURE: no fs, env or clock; everything
 * host-dependent (passwd text, CPU count, architecture, kernel, file paths)
 * is passed in, so the output can be tested as data.
 */
import path from 'node:path';
import { InvalidParameterError, SystemError } from '../../../util/errors.ts';
import type { ContainerConfig, HostConfig } from '../../../wire/container-config.ts';
import { resolveCapabilities } from './capabilities.ts';
import { buildMounts, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE, type ResolvedMount, type ShmChoice } from './mounts.ts';
import { buildEnv, mergeCommand, resolveWorkingDir } from './process.ts';
import { defaultDeviceRules, toOciBlockDevices, toOciResources, toRlimits, validateHostConfigResources, type DeviceNumber } from './resources.ts';
import { deviceAllowRule, parseDeviceCgroupRule, validateDeviceSettings } from './device-rules.ts';
import { defaultSeccompProfile, parseSeccompProfile, toOciSeccomp, type DockerSeccompProfile } from './seccomp.ts';
import { parseSecurityOpts } from './security-opt.ts';
import type { OciDevice, OciNamespace, OciSpec } from './types.ts';
import { resolveUser } from './user.ts';

/** Where Docker mounts its init (`--init`); catatonit accepts the same `--`. */
export const INIT_PATH_IN_CONTAINER = '/sbin/docker-init';

/** `path`: a namespace that exists already; `own`: the container's own one (its sandbox), not another container's. */
export type NetworkNamespace = { kind: 'private' | 'host' | 'none' } | { kind: 'path'; path: string; own?: boolean };

export interface ImageRuntimeConfig {
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  User?: string;
  WorkingDir?: string;
  StopSignal?: string;
}

export interface SpecInput {
  /** Full container ID (64 hex); the default hostname is its first 12 characters. */
  id: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  imageConfig: ImageRuntimeConfig;
  /** Host path of the mounted root filesystem. */
  rootfs: string;
  /** Text of the container's /etc/passwd and /etc/group, when the image has them. */
  etcPasswd?: string;
  etcGroup?: string;
  /** Host paths bind-mounted at /etc/hostname, /etc/hosts, /etc/resolv.conf. */
  files: { hostname?: string; hosts?: string; resolvConf?: string };
  network: NetworkNamespace;
  /** The PID of the running container whose PID namespace this one joins (`PidMode: container:<name>`). */
  pidDonor?: number;
  /** The running container whose IPC namespace this one joins (`IpcMode: container:<name>`): its PID and the host path of its /dev/shm. */
  ipcDonor?: { pid: number; shm: string };
  /** Host path of this container's own /dev/shm tmpfs (`IpcMode: shareable`), mounted by the caller. */
  shareableShm?: string;
  /** Whether the host kernel has IPv6 (`/proc/sys/net/ipv6`); assumed when not given. */
  hostIpv6?: boolean;
  cgroupsPath: string;
  /** Host path of the init binary (catatonit), used when `HostConfig.Init`. */
  initPath?: string;
  /** Binds, volumes and `--mount`s, resolved to host paths by the caller. */
  mounts: ResolvedMount[];
  hostCpus: number;
  /** The daemon's default seccomp profile (Docker format) replacing the built-in one. */
  seccompProfileJson?: string;
  /** Node's `process.arch` of the host (default `x64`), its kernel release (`uname -r`) and the sub-architectures it cannot run. */
  arch?: string;
  kernel?: string;
  missingArches?: readonly string[];
  /** Host devices given to a privileged container (the caller lists /dev). */
  hostDevices?: OciDevice[];
  /** `HostConfig.Devices` resolved by the caller (stat of PathOnHost, directories walked), in order. */
  devices?: { device: OciDevice; permissions: string }[];
  /** Major:minor of every path in the blkio device lists (`blkioDevicePaths`), from the caller's stat. */
  blockDevices?: ReadonlyMap<string, DeviceNumber>;
}

/** Reject a bad `HostConfig` at create time (400), before anything is written. */
export function validateHostConfig(hostConfig: HostConfig, hostCpus: number): void {
  validateHostConfigResources(hostConfig, hostCpus);
  validateDeviceSettings(hostConfig);
  // Container disk quotas need overlay on xfs with project quotas, which Berth does not use (dockerd's overlay2 message).
  // The driver reads its options first: an unknown one is named before the missing quota support.
  for (const key of Object.keys(hostConfig.StorageOpt ?? {})) {
    if (key.toLowerCase() !== 'size') throw new SystemError(`Unknown option ${key}`);
  }
  if (Object.keys(hostConfig.StorageOpt ?? {}).length > 0) throw new SystemError("--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
  resolveCapabilities({ privileged: hostConfig.Privileged, capAdd: hostConfig.CapAdd, capDrop: hostConfig.CapDrop });
  // A seccomp profile is read at start, as dockerd reads it: a bad one fails the start, not the create.
  parseSecurityOpts(hostConfig.SecurityOpt);
  // dockerd's ValidateTmpfsMountDestination: not the root (once cleaned), and absolute.
  for (const dest of Object.keys(hostConfig.Tmpfs ?? {})) {
    if (path.posix.normalize(dest) === '/') throw new InvalidParameterError("invalid specification: destination can't be '/'");
    if (!dest.startsWith('/')) throw new InvalidParameterError(`invalid mount path: '${dest}' mount path must be absolute`);
  }
}

/**
 * dockerd takes any `--ipc` at create and refuses an unknown one when it
 * builds the spec, at start (500). An unknown `--pid` is a private one.
 */
function checkIpcMode(h: HostConfig): void {
  const ipc = h.IpcMode ?? '';
  if (!['', 'host', 'private', 'shareable', 'none'].includes(ipc) && !/^container:./.test(ipc)) throw new SystemError(`Invalid IPC mode: ${ipc}`);
}

function namespaces(input: SpecInput): OciNamespace[] {
  const h = input.hostConfig;
  const ns: OciNamespace[] = [{ type: 'mount' }];
  if (input.network.kind === 'path') ns.push({ type: 'network', path: input.network.path });
  else if (input.network.kind !== 'host') ns.push({ type: 'network' });
  if (h.UTSMode !== 'host') ns.push({ type: 'uts' });
  if (input.pidDonor !== undefined) ns.push({ type: 'pid', path: `/proc/${input.pidDonor}/ns/pid` });
  else if (h.PidMode !== 'host') ns.push({ type: 'pid' });
  if (input.ipcDonor !== undefined) ns.push({ type: 'ipc', path: `/proc/${input.ipcDonor.pid}/ns/ipc` });
  else if (h.IpcMode !== 'host') ns.push({ type: 'ipc' });
  if (h.CgroupnsMode === 'private') ns.push({ type: 'cgroup' });
  return ns;
}

/**
 * dockerd's sysctls for a container with a network namespace of its own: any
 * user may bind low ports and ping (as on the host since Linux 4.11 / 3.0), and
 * `--network none` has no IPv6 at all, not even on loopback. The user's
 * `--sysctl`s are laid over these.
 */
function networkSysctls(input: SpecInput): Record<string, string> {
  const kind = input.network.kind;
  const own = kind === 'private' || kind === 'none' || (input.network.kind === 'path' && input.network.own === true);
  if (!own) return {};
  const sysctl: Record<string, string> = {
    'net.ipv4.ip_unprivileged_port_start': '0',
    'net.ipv4.ping_group_range': '0 2147483647',
  };
  if (kind === 'none' && input.hostIpv6 !== false) sysctl['net.ipv6.conf.all.disable_ipv6'] = '1';
  return sysctl;
}

/** /dev/shm as the IPC mode wants it: shared ones are host directories, bind-mounted. */
function shmChoice(input: SpecInput): ShmChoice {
  const mode = input.hostConfig.IpcMode;
  if (input.ipcDonor !== undefined) return { bind: input.ipcDonor.shm };
  if (mode === 'host') return { bind: '/dev/shm' };
  if (mode === 'shareable' && input.shareableShm) return { bind: input.shareableShm };
  if (mode === 'none') return 'none';
  return 'private';
}

function seccompProfile(input: SpecInput, setting: string | undefined): DockerSeccompProfile | undefined {
  if (input.hostConfig.Privileged || setting === 'unconfined') return undefined;
  if (setting !== undefined) return parseSeccompProfile(setting);
  if (input.seccompProfileJson !== undefined) return parseSeccompProfile(input.seccompProfileJson);
  return defaultSeccompProfile();
}

export function generateSpec(input: SpecInput): OciSpec {
  const { config: c, hostConfig: h, imageConfig: img } = input;
  validateHostConfig(h, input.hostCpus);
  checkIpcMode(h);
  // No device drivers (GPUs) are registered: dockerd's answer at start when none matches.
  for (const req of h.DeviceRequests ?? []) {
    const caps = `[${(req.Capabilities ?? []).map((set) => `[${set.join(' ')}]`).join(' ')}]`;
    throw new SystemError(`could not select device driver "${req.Driver ?? ''}" with capabilities: ${caps}`);
  }
  const privileged = h.Privileged === true;
  const hostname = c.Hostname || input.id.slice(0, 12);
  const user = resolveUser(c.User || img.User || '', input.etcPasswd, input.etcGroup, h.GroupAdd);
  const caps = resolveCapabilities({ privileged, capAdd: h.CapAdd, capDrop: h.CapDrop });
  const security = parseSecurityOpts(h.SecurityOpt);

  let args = mergeCommand(c, img);
  const userMounts = [...input.mounts];
  if (h.Init) {
    if (!input.initPath) throw new InvalidParameterError('--init requested but no init binary is configured');
    args = [INIT_PATH_IN_CONTAINER, '--', ...args];
    userMounts.push({ destination: INIT_PATH_IN_CONTAINER, source: input.initPath, type: 'bind', options: ['bind', 'ro'] });
  }

  const spec: OciSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: c.Tty === true,
      user: { uid: user.uid, gid: user.gid, ...(user.additionalGids.length > 0 ? { additionalGids: user.additionalGids } : {}) },
      args,
      env: buildEnv({ imageEnv: img.Env, containerEnv: c.Env, hostname, tty: c.Tty === true, home: user.home }),
      cwd: resolveWorkingDir(c.WorkingDir, img.WorkingDir),
      capabilities: { bounding: caps, effective: [...caps], permitted: [...caps] },
      noNewPrivileges: security.noNewPrivileges,
    },
    root: { path: input.rootfs, readonly: h.ReadonlyRootfs === true },
    hostname: h.UTSMode === 'host' ? undefined : hostname,
    mounts: buildMounts({
      shmSize: h.ShmSize || DEFAULT_SHM_SIZE,
      shm: shmChoice(input),
      privileged,
      readonlyRootfs: h.ReadonlyRootfs === true,
      user: userMounts,
      tmpfs: h.Tmpfs,
      files: input.files,
    }),
    linux: {
      namespaces: namespaces(input),
      cgroupsPath: input.cgroupsPath,
      resources: toOciResources(h),
      maskedPaths: privileged ? [] : [...(h.MaskedPaths ?? DEFAULT_MASKED_PATHS)],
      readonlyPaths: privileged ? [] : [...(h.ReadonlyPaths ?? DEFAULT_READONLY_PATHS)],
    },
  };
  if (spec.hostname === undefined) delete spec.hostname;
  const consoleSize = h.ConsoleSize;
  if (c.Tty && consoleSize && (consoleSize[0] ?? 0) > 0 && (consoleSize[1] ?? 0) > 0) {
    spec.process.consoleSize = { height: consoleSize[0]!, width: consoleSize[1]! };
  }
  const rlimits = toRlimits(h.Ulimits);
  if (rlimits.length > 0) spec.process.rlimits = rlimits;
  if (h.OomScoreAdj !== undefined) spec.process.oomScoreAdj = h.OomScoreAdj;
  // The domain name goes in as a sysctl, as dockerd puts it (runc 1.1 ignores the spec's `domainname`).
  const domain: Record<string, string> = c.Domainname && h.UTSMode !== 'host' ? { 'kernel.domainname': c.Domainname } : {};
  const sysctl = { ...domain, ...networkSysctls(input), ...h.Sysctls };
  if (Object.keys(sysctl).length > 0) spec.linux.sysctl = sysctl;

  const resources = spec.linux.resources!;
  if (privileged) {
    resources.devices = [{ allow: true, access: 'rwm' }];
    // dockerd adds a --device to a privileged container only under a new path; its permissions are moot.
    const devices = [...(input.hostDevices ?? [])];
    for (const { device } of input.devices ?? []) if (!devices.some((d) => d.path === device.path)) devices.push(device);
    if (devices.length > 0) spec.linux.devices = devices.map((d) => ({ ...d }));
  } else {
    // dockerd's order: defaults, then each --device's rule, then the --device-cgroup-rules.
    resources.devices = defaultDeviceRules();
    for (const { device, permissions } of input.devices ?? []) {
      (spec.linux.devices ??= []).push({ ...device });
      const rule = deviceAllowRule(device, permissions);
      if (rule) resources.devices.push(rule);
    }
    for (const rule of h.DeviceCgroupRules ?? []) resources.devices.push(parseDeviceCgroupRule(rule));
  }
  const blockDevices = toOciBlockDevices(h, input.blockDevices ?? new Map());
  if (Object.keys(blockDevices).length > 0) resources.blockIO = { ...resources.blockIO, ...blockDevices };
  const profile = seccompProfile(input, security.seccomp);
  if (profile) spec.linux.seccomp = toOciSeccomp(profile, caps, { arch: input.arch ?? 'x64', kernel: input.kernel, missingArches: input.missingArches });
  return spec;
}
