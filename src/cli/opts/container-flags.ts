/** The flags shared by `create` and `run` (docker/cli container/opts.go addFlags), with docker's usage texts. */
import type { FlagSpec } from '../flags.ts';
import { ramInBytes } from '../format/units.ts';
import { parseUlimit, validateLabel, validateLink } from './specs.ts';
import { parseNetworkAttachment } from './network-opts.ts';
import { parseMountFlag } from './mount-spec.ts';
import { parseThrottleBpsDevice, parseThrottleIOpsDevice, parseWeightDevice, validateDeviceCgroupRule } from './device-specs.ts';
import { parseGoDuration } from '../../util/duration.ts';

const bytes = (raw: string) => ramInBytes(raw);
const memSwap = (raw: string) => (raw === '-1' ? -1 : ramInBytes(raw));
const decimal = (raw: string) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new Error(`failed to parse ${raw} as a rational number`);
  return n;
};
const duration = (raw: string) => parseGoDuration(raw);
const attachStream = (raw: string) => {
  const v = raw.toLowerCase();
  if (!['stdin', 'stdout', 'stderr'].includes(v)) throw new Error('valid streams are STDIN, STDOUT and STDERR');
  return v;
};

/** `--gpus all|N|[driver=…,]count=…[,capabilities=…]` → one HostConfig.DeviceRequests entry, as docker parses it. */
function parseGpus(raw: string): Record<string, unknown> {
  const req: { Driver: string; Count: number; DeviceIDs: string[] | null; Capabilities: string[][]; Options: Record<string, string> } = { Driver: '', Count: 0, DeviceIDs: null, Capabilities: [['gpu']], Options: {} };
  if (raw === 'all') return { ...req, Count: -1 };
  if (/^\d+$/.test(raw)) return { ...req, Count: Number(raw) };
  for (const field of raw.split(',')) {
    const [key = '', value = ''] = field.replace(/"/g, '').split('=', 2);
    if (key === 'driver') req.Driver = value;
    else if (key === 'count') req.Count = value === 'all' ? -1 : Number(value);
    else if (key === 'device') req.DeviceIDs = [...(req.DeviceIDs ?? []), value];
    else if (key === 'capabilities') req.Capabilities = [[...new Set(['gpu', value])]];
    else if (key.startsWith('options.')) req.Options[key.slice('options.'.length)] = value;
    else throw new Error(`unexpected key '${key}' in '${raw}'`);
  }
  return req;
}

export const CONTAINER_FLAGS: FlagSpec[] = [
  { long: 'add-host', type: 'list', usage: 'Add a custom host-to-IP mapping (host:ip)' },
  { long: 'annotation', type: 'list', typeName: 'map', defText: 'map[]', usage: 'Add an annotation to the container (passed through to the OCI runtime)' },
  { long: 'blkio-weight', type: 'int', typeName: 'uint16', usage: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
  { long: 'blkio-weight-device', type: 'list', defText: '[]', usage: 'Block IO weight (relative device weight)', parse: parseWeightDevice },
  { long: 'cgroup-parent', type: 'string', usage: 'Optional parent cgroup for the container' },
  { long: 'cpu-count', type: 'int', usage: 'CPU count (Windows only)' },
  { long: 'cpu-percent', type: 'int', usage: 'CPU percent (Windows only)' },
  { long: 'io-maxbandwidth', type: 'value', typeName: 'bytes', usage: 'Maximum IO bandwidth limit for the system drive (Windows only)', parse: bytes },
  { long: 'io-maxiops', type: 'int', typeName: 'uint', usage: 'Maximum IOps limit for the system drive (Windows only)' },
  { long: 'storage-opt', type: 'list', usage: 'Storage driver options for the container' },
  { long: 'device-cgroup-rule', type: 'list', usage: 'Add a rule to the cgroup allowed devices list', parse: validateDeviceCgroupRule },
  { long: 'device', type: 'list', usage: 'Add a host device to the container' },
  { long: 'device-read-bps', type: 'list', defText: '[]', usage: 'Limit read rate (bytes per second) from a device', parse: parseThrottleBpsDevice },
  { long: 'device-read-iops', type: 'list', defText: '[]', usage: 'Limit read rate (IO per second) from a device', parse: parseThrottleIOpsDevice },
  { long: 'device-write-bps', type: 'list', defText: '[]', usage: 'Limit write rate (bytes per second) to a device', parse: parseThrottleBpsDevice },
  { long: 'device-write-iops', type: 'list', defText: '[]', usage: 'Limit write rate (IO per second) to a device', parse: parseThrottleIOpsDevice },
  { long: 'gpus', type: 'value', typeName: 'gpu-request', usage: "GPU devices to add to the container ('all' to pass all GPUs)", parse: parseGpus },
  { long: 'cgroupns', type: 'string', usage: "Cgroup namespace to use (host|private)\n'host':    Run the container in the Docker host's cgroup namespace\n'private': Run the container in its own private cgroup namespace\n'':        Use the cgroup namespace as configured by the\n           default-cgroupns-mode option on the daemon (default)" },
  { long: 'cpu-rt-period', type: 'int', usage: 'Limit CPU real-time period in microseconds' },
  { long: 'cpu-rt-runtime', type: 'int', usage: 'Limit CPU real-time runtime in microseconds' },
  { long: 'cpuset-mems', type: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
  { long: 'disable-content-trust', type: 'bool', usage: 'Skip image verification', def: true },
  { long: 'dns-option', type: 'list', usage: 'Set DNS options' },
  { long: 'dns-search', type: 'list', usage: 'Set custom DNS search domains' },
  { long: 'health-cmd', type: 'string', usage: 'Command to run to check health' },
  { long: 'health-interval', type: 'value', typeName: 'duration', usage: 'Time between running the check (ms|s|m|h) (default 0s)', parse: duration },
  { long: 'health-retries', type: 'int', usage: 'Consecutive failures needed to report unhealthy' },
  { long: 'health-start-interval', type: 'value', typeName: 'duration', usage: 'Time between running the check during the start period (ms|s|m|h) (default 0s)', parse: duration },
  { long: 'health-start-period', type: 'value', typeName: 'duration', usage: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)', parse: duration },
  { long: 'health-timeout', type: 'value', typeName: 'duration', usage: 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)', parse: duration },
  { long: 'isolation', type: 'string', usage: 'Container isolation technology' },
  { long: 'kernel-memory', type: 'value', typeName: 'bytes', usage: 'Kernel memory limit', parse: bytes },
  { long: 'log-driver', type: 'string', usage: 'Logging driver for the container' },
  { long: 'log-opt', type: 'list', usage: 'Log driver options' },
  { long: 'mac-address', type: 'string', usage: 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' },
  { long: 'memory-swappiness', type: 'int', usage: 'Tune container memory swappiness (0 to 100)', def: -1 },
  { long: 'no-healthcheck', type: 'bool', usage: 'Disable any container-specified HEALTHCHECK' },
  { long: 'oom-score-adj', type: 'int', usage: "Tune host's OOM preferences (-1000 to 1000)" },
  { long: 'runtime', type: 'string', usage: 'Runtime to use for this container' },
  { long: 'sysctl', type: 'list', typeName: 'map', defText: 'map[]', usage: 'Sysctl options' },
  { long: 'userns', type: 'string', usage: 'User namespace to use' },
  { long: 'attach', short: 'a', type: 'list', usage: 'Attach to STDIN, STDOUT or STDERR', parse: attachStream },
  { long: 'cap-add', type: 'list', usage: 'Add Linux capabilities' },
  { long: 'cap-drop', type: 'list', usage: 'Drop Linux capabilities' },
  { long: 'cidfile', type: 'string', usage: 'Write the container ID to the file' },
  { long: 'cpu-period', type: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { long: 'cpu-quota', type: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { long: 'cpu-shares', short: 'c', type: 'int', usage: 'CPU shares (relative weight)' },
  { long: 'cpus', type: 'value', typeName: 'decimal', usage: 'Number of CPUs', parse: decimal },
  { long: 'cpuset-cpus', type: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
  { long: 'dns', type: 'list', usage: 'Set custom DNS servers' },
  { long: 'domainname', type: 'string', usage: 'Container NIS domain name' },
  { long: 'entrypoint', type: 'string', usage: 'Overwrite the default ENTRYPOINT of the image' },
  { long: 'env', short: 'e', type: 'list', usage: 'Set environment variables' },
  { long: 'env-file', type: 'list', usage: 'Read in a file of environment variables' },
  { long: 'expose', type: 'list', usage: 'Expose a port or a range of ports' },
  { long: 'group-add', type: 'list', usage: 'Add additional groups to join' },
  { long: 'hostname', short: 'h', type: 'string', usage: 'Container host name' },
  { long: 'init', type: 'bool', usage: 'Run an init inside the container that forwards signals and reaps processes' },
  { long: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
  { long: 'ipc', type: 'string', usage: 'IPC mode to use' },
  { long: 'label', short: 'l', type: 'list', usage: 'Set meta data on a container', parse: validateLabel },
  { long: 'label-file', type: 'list', usage: 'Read in a line delimited file of labels' },
  { long: 'mount', type: 'list', typeName: 'mount', usage: 'Attach a filesystem mount to the container (berth: idmap=uids=H-C-N;gids=H-C-N shows N host ids from H as container ids from C)', parse: (raw) => parseMountFlag(raw) },
  { long: 'memory', short: 'm', type: 'value', typeName: 'bytes', usage: 'Memory limit', parse: bytes },
  { long: 'memory-reservation', type: 'value', typeName: 'bytes', usage: 'Memory soft limit', parse: bytes },

  { long: 'memory-swap', type: 'value', typeName: 'bytes', usage: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", parse: memSwap },
  { long: 'network', type: 'list', typeName: 'network', usage: 'Connect a container to a network', parse: parseNetworkAttachment },
  { long: 'net', type: 'list', typeName: 'network', usage: 'Connect a container to a network', parse: parseNetworkAttachment, hidden: true },
  { long: 'network-alias', type: 'list', usage: 'Add network-scoped alias for the container' },
  { long: 'net-alias', type: 'list', usage: 'Add network-scoped alias for the container', hidden: true },
  { long: 'ip', type: 'string', usage: 'IPv4 address (e.g., 172.30.100.104)' },
  { long: 'ip6', type: 'string', usage: 'IPv6 address (e.g., 2001:db8::33)' },
  { long: 'link', type: 'list', usage: 'Add link to another container', parse: validateLink },
  { long: 'link-local-ip', type: 'list', usage: 'Container IPv4/IPv6 link-local addresses' },
  { long: 'oom-kill-disable', type: 'bool', usage: 'Disable OOM Killer' },
  { long: 'pid', type: 'string', usage: 'PID namespace to use' },
  { long: 'pids-limit', type: 'int', usage: 'Tune container pids limit (set -1 for unlimited)' },
  { long: 'privileged', type: 'bool', usage: 'Give extended privileges to this container' },
  { long: 'publish', short: 'p', type: 'list', usage: "Publish a container's port(s) to the host" },
  { long: 'publish-all', short: 'P', type: 'bool', usage: 'Publish all exposed ports to random ports' },
  { long: 'read-only', type: 'bool', usage: "Mount the container's root filesystem as read only" },
  { long: 'restart', type: 'string', usage: 'Restart policy to apply when a container exits', def: 'no' },
  { long: 'rm', type: 'bool', usage: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { long: 'security-opt', type: 'list', usage: 'Security Options' },
  { long: 'shm-size', type: 'value', typeName: 'bytes', usage: 'Size of /dev/shm', parse: bytes },
  { long: 'stop-signal', type: 'string', usage: 'Signal to stop the container' },
  { long: 'stop-timeout', type: 'int', usage: 'Timeout (in seconds) to stop a container' },
  { long: 'tmpfs', type: 'list', usage: 'Mount a tmpfs directory' },
  { long: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
  { long: 'ulimit', type: 'list', typeName: 'ulimit', defText: '[]', usage: 'Ulimit options', parse: (raw) => (parseUlimit(raw), raw) },
  { long: 'user', short: 'u', type: 'string', usage: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { long: 'uts', type: 'string', usage: 'UTS namespace to use' },
  { long: 'volume', short: 'v', type: 'list', usage: 'Bind mount a volume (berth: MODE idmap=uids=H-C-N;gids=H-C-N shows N host ids from H as container ids from C)' },
  { long: 'volume-driver', type: 'string', usage: 'Optional volume driver for the container' },
  { long: 'volumes-from', type: 'list', usage: 'Mount volumes from the specified container(s)' },
  { long: 'workdir', short: 'w', type: 'string', usage: 'Working directory inside the container' },
  { long: 'platform', type: 'string', usage: 'Set platform if server is multi-platform capable' },
  { long: 'pull', type: 'string', usage: 'Pull image before running ("always", "missing", "never")', def: 'missing' },
  { long: 'quiet', short: 'q', type: 'bool', usage: 'Suppress the pull output' },
  { long: 'name', type: 'string', usage: 'Assign a name to the container' },
  // run/create keep -h for --hostname, so help is long-only (docker does the same).
  { long: 'help', type: 'bool', usage: 'Print usage' },
];

export const RUN_FLAGS: FlagSpec[] = [
  ...CONTAINER_FLAGS,
  { long: 'detach', short: 'd', type: 'bool', usage: 'Run container in background and print container ID' },
  { long: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
  { long: 'sig-proxy', type: 'bool', usage: 'Proxy received signals to the process', def: true },
];
