/**
 * The runtime container of a container: its spec (config.json) assembled from its record,
 * its layout, its mounts, what its resources contribute, the host's devices
 * and the daemon's defaults. Generation itself is pure
 * (`drivers/runtime/spec/generate.ts`); this gathers its inputs, which is
 * where the I/O is: device numbers, /etc/passwd of the rootfs, bind sources
 * to create, the shareable /dev/shm.
 */
import { promises as fs, existsSync } from 'node:fs';
import { allSettledOrThrow } from '../../util/settle.ts';
import type { HostConfig } from '../../wire/container-config.ts';
import { generateSpec } from '../../drivers/runtime/spec/generate.ts';
import { blkioDevicePaths } from '../../drivers/runtime/spec/resources.ts';
import type { SeccompHost } from '../../drivers/runtime/spec/seccomp.ts';
import type { OciSpec } from '../../drivers/runtime/spec/types.ts';
import type { RuntimeDriver } from '../../drivers/runtime/runtime.ts';
import { resolveBlockDeviceNumbers, resolveDevices } from '../../drivers/devices.ts';
import { ConflictError, isErrno } from '../../util/errors.ts';
import type { ContainerDefaults } from '../daemon-config.ts';
import { readSmallFile, type ContainerLayout } from './container-layout.ts';
import { containerMounts, mountSourcesToCreate, toRuntimeMounts } from './container-mounts.ts';
import { idmapStagingDir, withIdmapStaging } from './idmap.ts';
import type { ContainerResources } from './container-resources.ts';
import { logSizeLimit } from './create.ts';
import { cgroupsPathOf, type ContainerRecord } from './record.ts';

export interface RuntimeSpecOptions {
  runtime: RuntimeDriver;
  /** The daemon's exec root (id-mapped mounts are staged below it). */
  execRoot: string;
  layout: ContainerLayout;
  resources: ContainerResources;
  /** Another container by name or ID (throws dockerd's 404 when there is none). */
  resolveContainer(ref: string): ContainerRecord;
  hostCpus: number;
  /** catatonit, bind-mounted for --init. */
  initPath: string;
  /** Architecture, kernel release and ABIs of the host, for the seccomp filter. */
  host: SeccompHost;
  defaults?: ContainerDefaults;
}

/**
 * Have the runtime create the container, its process waiting to be
 * started. `laidOut`: a fresh container's rootfs mount and resources, still
 * being made (the spec waits for them, the runtime's monitor does not);
 * without it the rootfs is mounted here.
 */
export async function createRuntimeContainer(record: ContainerRecord, o: RuntimeSpecOptions, laidOut?: Promise<unknown>): Promise<void> {
  const p = o.layout.paths(record.id);
  const logSizeMax = logSizeLimit(record.hostConfig.LogConfig);
  const spec = (laidOut ?? o.layout.mountRootfs(record)).then(() => assembleRuntimeSpec(record, o));
  spec.catch(() => undefined); // the runtime's create reports it; nothing must go unhandled before that
  // A leftover runtime record (crash between create and start) would make create fail.
  if (!laidOut && (await o.runtime.hasState(record.id))) await o.runtime.delete(record.id, true).catch(() => undefined);
  await o.runtime.create({
    id: record.id,
    bundle: p.bundle,
    spec,
    logPath: p.log,
    logSizeMax,
    tty: Boolean(record.config.Tty),
    openStdin: Boolean(record.config.OpenStdin),
    stdinOnce: Boolean(record.config.StdinOnce),
  });
}

/** Assemble the spec; the rootfs must be mounted. */
export async function assembleRuntimeSpec(record: ContainerRecord, o: RuntimeSpecOptions): Promise<OciSpec> {
  const p = o.layout.paths(record.id);
  const h = record.hostConfig;
  // Host devices are looked up at each start, as dockerd does. A privileged
  // container sees all of /dev already; dockerd adds a --device only under a new path.
  const etcPasswd = readSmallFile(`${p.merged}/etc/passwd`);
  const etcGroup = readSmallFile(`${p.merged}/etc/group`);
  const mounts = containerMounts(record);
  // Every part settles before a failure is thrown: a sandbox still being set up when a missing
  // --device fails the start would otherwise land on the record after the failure's clean-up
  // ran, and its netavark set-up (addresses, firewall chains) would never be undone.
  const [blockDevices, devices, contribution] = await allSettledOrThrow([
    resolveBlockDeviceNumbers(blkioDevicePaths(h)),
    resolveDevices((h.Devices ?? []).filter((d) => !h.Privileged || (d.PathInContainer || d.PathOnHost) !== d.PathOnHost)),
    o.resources.spec(record),
    // EEXIST: the source is a file (a `-v` of one), which is bound as it is.
    ...mountSourcesToCreate(mounts).map((dir) => fs.mkdir(dir, { recursive: true }).catch((err) => ignoreErrno(err, 'EEXIST'))),
  ] as const);
  const spec = generateSpec({
    id: record.id,
    // Link variables come before the container's own, which win (as dockerd orders them).
    config: contribution.env?.length ? { ...record.config, Env: [...contribution.env, ...(record.config.Env ?? [])] } : record.config,
    hostConfig: withDaemonDefaults(record.hostConfig, o.defaults),
    seccompProfileJson: o.defaults?.seccompProfile !== 'unconfined' ? o.defaults?.seccompProfile : undefined,
    imageConfig: {},
    rootfs: p.merged,
    etcPasswd,
    etcGroup,
    files: contribution.etcFiles ?? { hostname: p.hostname, hosts: p.hosts, resolvConf: p.resolvConf },
    network: contribution.network ?? { kind: 'private' },
    ...namespaceDonors(record, o),
    shareableShm: h.IpcMode === 'shareable' ? await o.layout.mountShareableShm(record) : undefined,
    hostIpv6: hostHasIpv6(),
    cgroupsPath: cgroupsPathOf(record),
    initPath: o.initPath,
    mounts: toRuntimeMounts(withIdmapStaging(contribution.mountSources ? mounts.map((m) => ({ ...m, source: contribution.mountSources![m.destination] ?? m.source })) : mounts, idmapStagingDir(o.execRoot, record.id))),
    hostCpus: o.hostCpus,
    arch: o.host.arch,
    kernel: o.host.kernel,
    missingArches: o.host.missingArches,
    devices,
    blockDevices,
  });
  if (record.config.WorkingDir) await ensureWorkingDir(p.merged, record.config.WorkingDir);
  return spec;
}

/**
 * The PIDs of the running containers whose IPC and PID namespaces this one
 * joins, checked as dockerd checks them at start, with its words.
 */
function namespaceDonors(record: ContainerRecord, o: RuntimeSpecOptions): { ipcDonor?: { pid: number; shm: string }; pidDonor?: number } {
  const donors: { ipcDonor?: { pid: number; shm: string }; pidDonor?: number } = {};
  const ipc = record.hostConfig.IpcMode ?? '';
  if (ipc.startsWith('container:')) {
    const other = o.resolveContainer(ipc.slice('container:'.length));
    const why = `can't join IPC of container ${other.id}`;
    if (other.state.status !== 'running' || !other.state.pid) throw new ConflictError(`${why}: container ${other.id} is not running`);
    if (other.hostConfig.IpcMode !== 'shareable' && other.hostConfig.IpcMode !== 'host') {
      throw new ConflictError(`${why}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`);
    }
    donors.ipcDonor = { pid: other.state.pid, shm: other.hostConfig.IpcMode === 'host' ? '/dev/shm' : o.layout.paths(other.id).shm };
  }
  const pid = record.hostConfig.PidMode ?? '';
  if (pid.startsWith('container:')) {
    const other = o.resolveContainer(pid.slice('container:'.length));
    if (other.state.status !== 'running' || !other.state.pid) throw new ConflictError(`container ${other.id} is not running`);
    donors.pidDonor = other.state.pid;
  }
  return donors;
}

/** Whether the container joins another's IPC or PID namespace (it can only be set up once that one runs). */
export function joinsOtherNamespaces(h: Pick<HostConfig, 'IpcMode' | 'PidMode'>): boolean {
  return Boolean(h.IpcMode?.startsWith('container:') || h.PidMode?.startsWith('container:'));
}

function ignoreErrno(err: unknown, code: string): void {
  if (!isErrno(err, code)) throw err;
}

async function ensureWorkingDir(rootfs: string, dir: string): Promise<void> {
  // Docker creates a missing WorkingDir; the path is resolved inside the rootfs by runc's cwd.
  const target = `${rootfs}/${dir.replace(/^\/+/, '')}`;
  await fs.mkdir(target, { recursive: true }).catch((err) => {
    if (!isErrno(err, 'EEXIST')) throw err;
  });
}

let ipv6: boolean | undefined;
/** Whether the kernel has IPv6 (a `--network none` container gets it turned off). */
function hostHasIpv6(): boolean {
  return (ipv6 ??= existsSync('/proc/sys/net/ipv6'));
}

/**
 * The host config as the spec sees it: the daemon's default ulimits for the
 * ones the container leaves out, its no-new-privileges and an unconfined
 * default seccomp (dockerd applies these at start; inspect keeps the container's own).
 */
export function withDaemonDefaults(h: HostConfig, defaults: ContainerDefaults | undefined): HostConfig {
  if (!defaults) return h;
  const out = { ...h };
  const own = new Set((h.Ulimits ?? []).map((u) => u.Name));
  const ulimits = [...(h.Ulimits ?? []), ...(defaults.ulimits ?? []).filter((u) => !own.has(u.Name))];
  if (ulimits.length > 0) out.Ulimits = ulimits;
  const security = [...(h.SecurityOpt ?? [])];
  if (defaults.noNewPrivileges && !security.some((o) => /^no-new-privileges(?:[=:]|$)/.test(o))) security.push('no-new-privileges');
  if (defaults.seccompProfile === 'unconfined' && !security.some((o) => /^seccomp[=:]/.test(o))) security.push('seccomp=unconfined');
  if (security.length > 0) out.SecurityOpt = security;
  return out;
}
