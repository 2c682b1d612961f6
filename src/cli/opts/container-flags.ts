/** The flags shared by `create` and `run`: docker's names, types and defaults (docker/cli container/opts.go addFlags), described in our own words. */
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
  { long: 'add-host', type: 'list', usage: 'Add a line to /etc/hosts (host:ip)' },
  { long: 'annotation', type: 'list', typeName: 'map', defText: 'map[]', usage: 'Annotation for the OCI runtime (KEY=VALUE)' },
  { long: 'blkio-weight', type: 'int', typeName: 'uint16', usage: 'Relative disk IO weight, 10 to 1000 (0: none) (default 0)' },
  { long: 'blkio-weight-device', type: 'list', defText: '[]', usage: 'Relative disk IO weight for one device (DEVICE:WEIGHT)', parse: parseWeightDevice },
  { long: 'cgroup-parent', type: 'string', usage: 'Parent cgroup to put the container under' },
  { long: 'cpu-count', type: 'int', usage: 'Number of CPUs (Windows only)' },
  { long: 'cpu-percent', type: 'int', usage: 'Share of CPU in percent (Windows only)' },
  { long: 'io-maxbandwidth', type: 'value', typeName: 'bytes', usage: 'Cap on system drive bandwidth (Windows only)', parse: bytes },
  { long: 'io-maxiops', type: 'int', typeName: 'uint', usage: 'Cap on system drive IO operations per second (Windows only)' },
  { long: 'storage-opt', type: 'list', usage: 'Settings for the storage driver' },
  { long: 'device-cgroup-rule', type: 'list', usage: 'Let the container use devices matching a cgroup rule', parse: validateDeviceCgroupRule },
  { long: 'device', type: 'list', usage: 'Make a host device available in the container' },
  { long: 'device-read-bps', type: 'list', defText: '[]', usage: 'Cap reads from a device, in bytes per second', parse: parseThrottleBpsDevice },
  { long: 'device-read-iops', type: 'list', defText: '[]', usage: 'Cap reads from a device, in operations per second', parse: parseThrottleIOpsDevice },
  { long: 'device-write-bps', type: 'list', defText: '[]', usage: 'Cap writes to a device, in bytes per second', parse: parseThrottleBpsDevice },
  { long: 'device-write-iops', type: 'list', defText: '[]', usage: 'Cap writes to a device, in operations per second', parse: parseThrottleIOpsDevice },
  { long: 'gpus', type: 'value', typeName: 'gpu-request', usage: "GPUs to give the container ('all' for every one)", parse: parseGpus },
  { long: 'cgroupns', type: 'string', usage: "Which cgroup namespace the container gets (host|private)\n'host':    share the host's\n'private': a namespace of its own\n'':        whatever the daemon's default-cgroupns-mode\n           says (the default)" },
  { long: 'cpu-rt-period', type: 'int', usage: 'Real-time scheduling period, in microseconds' },
  { long: 'cpu-rt-runtime', type: 'int', usage: 'Real-time run time per period, in microseconds' },
  { long: 'cpuset-mems', type: 'string', usage: 'Memory nodes the processes may use (0-3, 0,1)' },
  { long: 'disable-content-trust', type: 'bool', usage: 'Do not check image signatures', def: true },
  { long: 'dns-option', type: 'list', usage: 'Resolver options for /etc/resolv.conf' },
  { long: 'dns-search', type: 'list', usage: 'DNS search domains to use' },
  { long: 'health-cmd', type: 'string', usage: 'Command that tells whether the container is healthy' },
  { long: 'health-interval', type: 'value', typeName: 'duration', usage: 'How often the health check runs (ms|s|m|h) (default 0s)', parse: duration },
  { long: 'health-retries', type: 'int', usage: 'Failures in a row before the container counts as unhealthy' },
  { long: 'health-start-interval', type: 'value', typeName: 'duration', usage: 'How often the check runs while starting up (ms|s|m|h) (default 0s)', parse: duration },
  { long: 'health-start-period', type: 'value', typeName: 'duration', usage: 'Start-up time during which failed checks do not count (ms|s|m|h) (default 0s)', parse: duration },
  { long: 'health-timeout', type: 'value', typeName: 'duration', usage: 'How long one check may take (ms|s|m|h) (default 0s)', parse: duration },
  { long: 'isolation', type: 'string', usage: 'Kind of isolation to run under' },
  { long: 'kernel-memory', type: 'value', typeName: 'bytes', usage: 'Cap on kernel memory', parse: bytes },
  { long: 'log-driver', type: 'string', usage: 'Log driver to record the output with' },
  { long: 'log-opt', type: 'list', usage: 'Settings for the log driver' },
  { long: 'mac-address', type: 'string', usage: 'MAC address to give the container (for example 02:42:ac:11:00:02)' },
  { long: 'memory-swappiness', type: 'int', usage: "How readily the kernel swaps the container's memory (0 to 100)", def: -1 },
  { long: 'no-healthcheck', type: 'bool', usage: "Turn off the image's HEALTHCHECK" },
  { long: 'oom-score-adj', type: 'int', usage: 'Adjust how likely the OOM killer picks the container (-1000 to 1000)' },
  { long: 'runtime', type: 'string', usage: 'OCI runtime to run the container with' },
  { long: 'sysctl', type: 'list', typeName: 'map', defText: 'map[]', usage: 'Kernel parameters to set (sysctl)' },
  { long: 'userns', type: 'string', usage: 'User namespace mode' },
  { long: 'attach', short: 'a', type: 'list', usage: 'Streams to connect: STDIN, STDOUT, STDERR', parse: attachStream },
  { long: 'cap-add', type: 'list', usage: 'Grant extra Linux capabilities' },
  { long: 'cap-drop', type: 'list', usage: 'Take Linux capabilities away' },
  { long: 'cidfile', type: 'string', usage: "Save the new container's ID in this file" },
  { long: 'cpu-period', type: 'int', usage: 'CFS scheduler period, in microseconds' },
  { long: 'cpu-quota', type: 'int', usage: 'CFS scheduler quota, in microseconds' },
  { long: 'cpu-shares', short: 'c', type: 'int', usage: 'Relative CPU weight' },
  { long: 'cpus', type: 'value', typeName: 'decimal', usage: "How many CPUs' worth of time the container may use", parse: decimal },
  { long: 'cpuset-cpus', type: 'string', usage: 'CPUs the processes may use (0-3, 0,1)' },
  { long: 'dns', type: 'list', usage: 'DNS servers to use' },
  { long: 'domainname', type: 'string', usage: 'NIS domain name inside the container' },
  { long: 'entrypoint', type: 'string', usage: "Run this instead of the image's ENTRYPOINT" },
  { long: 'env', short: 'e', type: 'list', usage: 'Set an environment variable (NAME=VALUE)' },
  { long: 'env-file', type: 'list', usage: 'Load environment variables from a file' },
  { long: 'expose', type: 'list', usage: 'Declare a port or port range as exposed' },
  { long: 'group-add', type: 'list', usage: 'Extra groups for the process to be in' },
  { long: 'hostname', short: 'h', type: 'string', usage: 'Host name inside the container' },
  { long: 'init', type: 'bool', usage: 'Start a small init as PID 1 to pass on signals and reap zombies' },
  { long: 'interactive', short: 'i', type: 'bool', usage: 'Keep standard input open, attached or not' },
  { long: 'ipc', type: 'string', usage: 'IPC namespace mode' },
  { long: 'label', short: 'l', type: 'list', usage: 'Add a label to the container', parse: validateLabel },
  { long: 'label-file', type: 'list', usage: 'Load labels from a file, one per line' },
  { long: 'mount', type: 'list', typeName: 'mount', usage: 'Mount a volume, host path or tmpfs (idmap=uids=H-C-N;gids=H-C-N shows N host ids from H as container ids from C)', parse: (raw) => parseMountFlag(raw) },
  { long: 'memory', short: 'm', type: 'value', typeName: 'bytes', usage: 'Most memory the processes may use', parse: bytes },
  { long: 'memory-reservation', type: 'value', typeName: 'bytes', usage: 'Memory the container should shrink to under pressure', parse: bytes },

  { long: 'memory-swap', type: 'value', typeName: 'bytes', usage: "Memory plus swap allowed in total ('-1': no swap limit)", parse: memSwap },
  { long: 'network', type: 'list', typeName: 'network', usage: 'Network to join (a name, or a mode such as host or none)', parse: parseNetworkAttachment },
  { long: 'net', type: 'list', typeName: 'network', usage: 'Network to join (a name, or a mode such as host or none)', parse: parseNetworkAttachment, hidden: true },
  { long: 'network-alias', type: 'list', usage: 'Extra name the container answers to on the network' },
  { long: 'net-alias', type: 'list', usage: 'Extra name the container answers to on the network', hidden: true },
  { long: 'ip', type: 'string', usage: 'IPv4 address to give the container (for example 172.20.0.5)' },
  { long: 'ip6', type: 'string', usage: 'IPv6 address to give the container (for example 2001:db8::5)' },
  { long: 'link', type: 'list', usage: 'Legacy link to another container', parse: validateLink },
  { long: 'link-local-ip', type: 'list', usage: 'Extra link-local addresses (IPv4 or IPv6)' },
  { long: 'oom-kill-disable', type: 'bool', usage: 'Keep the OOM killer away from the container' },
  { long: 'pid', type: 'string', usage: 'PID namespace mode' },
  { long: 'pids-limit', type: 'int', usage: 'Most processes the container may have (-1: no limit)' },
  { long: 'privileged', type: 'bool', usage: 'Run the container with all privileges' },
  { long: 'publish', short: 'p', type: 'list', usage: 'Map container ports to host ports' },
  { long: 'publish-all', short: 'P', type: 'bool', usage: 'Map every exposed port to a free host port' },
  { long: 'read-only', type: 'bool', usage: 'Keep the root filesystem read-only' },
  { long: 'restart', type: 'string', usage: 'What to do when the container stops (restart policy)', def: 'no' },
  { long: 'rm', type: 'bool', usage: 'Delete the container, with its anonymous volumes, once it exits' },
  { long: 'security-opt', type: 'list', usage: 'Security settings such as seccomp or no-new-privileges' },
  { long: 'shm-size', type: 'value', typeName: 'bytes', usage: 'How large /dev/shm is', parse: bytes },
  { long: 'stop-signal', type: 'string', usage: 'Signal that asks the container to stop' },
  { long: 'stop-timeout', type: 'int', usage: 'Seconds to wait after the stop signal before killing' },
  { long: 'tmpfs', type: 'list', usage: 'Mount an empty tmpfs at this path' },
  { long: 'tty', short: 't', type: 'bool', usage: 'Give the process a terminal (pseudo-TTY)' },
  { long: 'ulimit', type: 'list', typeName: 'ulimit', defText: '[]', usage: 'Resource limits (ulimit)', parse: (raw) => (parseUlimit(raw), raw) },
  { long: 'user', short: 'u', type: 'string', usage: 'User to run as, by name or id (<name|uid>[:<group|gid>])' },
  { long: 'uts', type: 'string', usage: 'UTS namespace mode' },
  { long: 'volume', short: 'v', type: 'list', usage: 'Mount a volume or host path (SRC:DEST[:MODE]; MODE idmap=uids=H-C-N;gids=H-C-N shows N host ids from H as container ids from C)' },
  { long: 'volume-driver', type: 'string', usage: 'Driver for the volumes the container creates' },
  { long: 'volumes-from', type: 'list', usage: 'Reuse the volumes of another container' },
  { long: 'workdir', short: 'w', type: 'string', usage: 'Directory to start the process in, inside the container' },
  { long: 'platform', type: 'string', usage: 'Platform to use when the server supports several' },
  { long: 'pull', type: 'string', usage: 'When to fetch the image first ("always", "missing", "never")', def: 'missing' },
  { long: 'quiet', short: 'q', type: 'bool', usage: 'Print nothing while fetching the image' },
  { long: 'name', type: 'string', usage: 'Name the new container' },
  // run/create keep -h for --hostname, so help is long-only (docker does the same).
  { long: 'help', type: 'bool', usage: 'Show this help' },
];

export const RUN_FLAGS: FlagSpec[] = [
  ...CONTAINER_FLAGS,
  { long: 'detach', short: 'd', type: 'bool', usage: "Start in the background and print the new container's ID" },
  { long: 'detach-keys', type: 'string', usage: 'Keys that detach from the container (instead of the usual ones)' },
  { long: 'sig-proxy', type: 'bool', usage: 'Pass signals this command receives on to the container', def: true },
];
