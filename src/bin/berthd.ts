/**
 * berthd: the Berth daemon. Flags mirror dockerd's. One daemon per data root
 * (an flock on <data-root>/berthd.lock); SIGTERM/SIGINT stop serving and exit,
 * leaving containers running (their monitors outlive us; the next start
 * re-adopts them).
 */
import { parseArgs } from 'node:util';
import { promises as fs, fchmodSync, openSync, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import type { Server } from 'node:http';
import type https from 'node:https';
import path from 'node:path';
import { Engine } from '../engine/engine.ts';
import { containerDefaults, distributionConfig, readDaemonConfig, type DaemonConfig } from '../engine/daemon-config.ts';
import { networkDefaults, parsePoolFlag } from '../engine/network/network-defaults.ts';
import { createEngineApi } from '../api/api.ts';
import { native } from '../drivers/native.ts';
import { readGroupFile, resolveSocketGroup } from '../drivers/host-groups.ts';
import { ensurePrivateRoots } from '../store/private-roots.ts';
import { isLogLevel, log, setLogLevel } from '../util/log.ts';


function usage(): never {
  process.stdout.write(`Usage:\tberthd [OPTIONS]

A self-sufficient runtime for containers, compatible with Docker's Engine API.

Options:
  -b, --bridge string                     Device of the default bridge network (default "berth0"); "none" for no default bridge
      --bip string                        Gateway address and prefix of the default bridge, e.g. 10.213.0.1/24
      --config-file string                Daemon configuration file (default "/etc/berth/daemon.json")
      --data-root string                  Root directory of persistent Berth state (default "/var/lib/berth")
      --default-address-pool pool-options Default address pools for automatic subnets (base=CIDR,size=bits; repeatable)
      --dns list                          DNS server to use
      --dns-opt list                      DNS options to use
      --dns-search list                   DNS search domains to use
      --exec-root string                  Root directory for execution state files (default "/run/berth")
  -G, --group string                      Group for the unix socket (default "docker")
  -H, --host list                         Daemon socket(s) to connect to (default unix:///run/berth/berth.sock)
      --host-gateway-ip ip                IP address the special 'host-gateway' string in --add-host resolves to (default: the default bridge's gateway)
      --insecure-registry list            Enable insecure registry communication (CIDR or host[:port])
      --ip-forward                        Enable net.ipv4.ip_forward (default true)
      --iptables                          Let netavark add iptables rules (default true)
  -l, --log-level string                  Set the logging level ("debug"|"info"|"warn"|"error") (default "info")
      --max-concurrent-downloads int      Set the max concurrent downloads (default 3)
  -p, --pidfile string                    Path to use for daemon PID file (default "/run/berth/berthd.pid")
      --registry-mirror list              Preferred registry mirror: a URL (Docker Hub's), or HOST=URL (a mirror of HOST)
      --tls                               Use TLS; implied by --tlsverify
      --tlscacert string                  Trust certs signed only by this CA (default "~/.docker/ca.pem")
      --tlscert string                    Path to TLS certificate file (default "~/.docker/cert.pem")
      --tlskey string                     Path to TLS key file (default "~/.docker/key.pem")
      --tlsverify                         Use TLS and verify the remote (required for tcp:// hosts)
  -v, --version                           Print version information and quit
`);
  process.exit(0);
}

async function main(): Promise<void> {
  // As dockerd: no file we make may depend on the umask of whoever started us
  // (under umask 000 every record, spec and layer would be world-writable).
  // Children (conmon, runc, netavark) inherit it.
  process.umask(0o022);
  const { args, bools } = takeBoolFlags(process.argv.slice(2), ['ip-forward', 'iptables']);
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string', short: 'H', multiple: true },
      'data-root': { type: 'string' },
      'exec-root': { type: 'string' },
      group: { type: 'string', short: 'G' },
      pidfile: { type: 'string', short: 'p' },
      'config-file': { type: 'string' },
      'log-level': { type: 'string', short: 'l' },
      tls: { type: 'boolean' },
      tlsverify: { type: 'boolean' },
      tlscacert: { type: 'string' },
      tlscert: { type: 'string' },
      tlskey: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      bridge: { type: 'string', short: 'b' },
      bip: { type: 'string' },
      'default-address-pool': { type: 'string', multiple: true },
      dns: { type: 'string', multiple: true },
      'dns-opt': { type: 'string', multiple: true },
      'dns-search': { type: 'string', multiple: true },
      'host-gateway-ip': { type: 'string' },
      'insecure-registry': { type: 'string', multiple: true },
      'registry-mirror': { type: 'string', multiple: true },
      'max-concurrent-downloads': { type: 'string' },
    },
    allowPositionals: false,
  });
  if (values.help) usage();
  if (values.version) {
    process.stdout.write('Berth version 0.1.0\n');
    return;
  }
  const configFile = values['config-file'] ?? '/etc/berth/daemon.json';
  const fileConfig = readDaemonConfig(configFile, values['config-file'] !== undefined);
  const defaults = containerDefaults(fileConfig);
  const network = networkDefaults(networkSettings(fileConfig, values, bools));
  const level = values['log-level'] ?? fileConfig['log-level'] ?? (fileConfig.debug ? 'debug' : 'info');
  if (!isLogLevel(level)) throw new Error(`Unable to parse logging level: ${level}`);
  setLogLevel(level);
  const dataRoot = path.resolve(values['data-root'] ?? fileConfig['data-root'] ?? '/var/lib/berth');
  const execRoot = path.resolve(values['exec-root'] ?? fileConfig['exec-root'] ?? '/run/berth');
  const hosts = values.host ?? fileConfig.hosts ?? ['unix:///run/berth/berth.sock'];
  const pidfile = values.pidfile ?? fileConfig.pidfile ?? `${execRoot}/berthd.pid`;
  for (const host of hosts) if (!host.startsWith('unix://') && !host.startsWith('tcp://')) throw new Error(`invalid host: ${host}`);
  const tlsVerify = values.tlsverify ?? fileConfig.tlsverify ?? false;
  const certDir = process.env['DOCKER_CERT_PATH'] || path.join(os.homedir(), '.docker');
  const tlsFiles = {
    ca: values.tlscacert ?? fileConfig.tlscacert ?? path.join(certDir, 'ca.pem'),
    cert: values.tlscert ?? fileConfig.tlscert ?? path.join(certDir, 'cert.pem'),
    key: values.tlskey ?? fileConfig.tlskey ?? path.join(certDir, 'key.pem'),
  };
  // The API gives root on this host: over TCP only to clients with a certificate our CA signed.
  if (hosts.some((h) => h.startsWith('tcp://')) && !tlsVerify) {
    throw new Error('a tcp:// host needs mutual TLS: start berthd with --tlsverify (and --tlscacert, --tlscert, --tlskey)');
  }
  const tls = tlsVerify ? readTlsFiles(tlsFiles) : undefined;

  // Before the roots exist: an unknown group stops the start with nothing made.
  const hasUnixHost = hosts.some((h) => h.startsWith('unix://'));
  const socketGroup = hasUnixHost ? resolveSocketGroup(values.group ?? fileConfig.group, readGroupFile(), process.getgid?.() ?? 0) : undefined;
  if (socketGroup?.warning) log.warn(socketGroup.warning);

  await ensurePrivateRoots(dataRoot, execRoot);
  const lockFd = openSync(`${dataRoot}/berthd.lock`, 'w', 0o600);
  fchmodSync(lockFd, 0o600);
  if (!native().flock(lockFd)) {
    throw new Error(`another berthd is already running with data root ${dataRoot} (lock ${dataRoot}/berthd.lock is held)`);
  }
  await fs.writeFile(pidfile, `${process.pid}\n`, { mode: 0o644 });
  await fs.chmod(pidfile, 0o644); // one left by an older berthd may have another mode

  // A download cache for `image bootstrap debian:…` shared by daemons (tests, CI) instead of one per data root.
  const bootstrapCacheDir = process.env['BERTH_BOOTSTRAP_CACHE'] || undefined;
  const registry = distributionConfig(fileConfig, values);
  const engine = new Engine({ dataRoot, execRoot, logLevel: level, defaults, network, bootstrapCacheDir, registry });
  await engine.open();
  const servers: Server[] = [];
  // Signals are ours before the socket answers: a SIGHUP (or SIGTERM) sent as soon
  // as a client can connect must not meet the default action, which ends the process.
  const shutdown = (signal: string) => {
    log.info('shutting down; containers keep running', { signal });
    for (const server of servers) {
      server.close();
      server.closeAllConnections();
    }
    void engine
      .close()
      .then(() => fs.rm(pidfile, { force: true }))
      .finally(() => process.exit(0));
  };
  // A last resort: an error that escaped its request (a stream error nobody
  // listened to, a promise nobody awaited) is logged with its stack, and the
  // daemon keeps serving. Every piece of state is on disk, written atomically,
  // so one broken request cannot leave it half-changed; ending the daemon
  // would only end everyone else's requests too.
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection (a bug: please report it)', { err: reason instanceof Error ? reason.stack : String(reason) }));
  process.on('uncaughtException', (err) => log.error('uncaught exception (a bug: please report it)', { err: err.stack ?? err.message }));
  // dockerd reloads its configuration at SIGHUP; the log level is what berthd can take live.
  process.on('SIGHUP', () => {
    try {
      const next = readDaemonConfig(configFile, false);
      const wanted = values['log-level'] ?? next['log-level'] ?? (next.debug ? 'debug' : 'info');
      if (isLogLevel(wanted)) setLogLevel(wanted);
      log.info('configuration reloaded', { file: configFile, logLevel: wanted });
    } catch (err) {
      log.error('could not reload the configuration', { file: configFile, err: (err as Error).message });
    }
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  for (const host of hosts) {
    if (host.startsWith('tcp://')) {
      const { hostname, port } = parseTcpHost(host);
      const server = createEngineApi(engine, tls);
      await listen(server, (done) => server.listen(port, hostname || undefined, done));
      servers.push(server);
      log.info('API listening', { address: `${hostname || '0.0.0.0'}:${port}`, tls: 'mutual' });
      continue;
    }
    const socketPath = host.slice('unix://'.length);
    await fs.mkdir(path.dirname(socketPath), { recursive: true });
    await removeStaleSocket(socketPath);
    const server = createEngineApi(engine);
    await listen(server, (done) => server.listen(socketPath, done));
    servers.push(server);
    // dockerd's: read-write for root and the socket group (access to it is root on this host).
    await fs.chown(socketPath, 0, socketGroup?.gid ?? 0);
    await fs.chmod(socketPath, 0o660);
    log.info('API listening', { socket: socketPath });
  }
  log.info('berthd started', { dataRoot, execRoot, pid: process.pid });
}

/**
 * dockerd's boolean flags take `--flag`, `--flag=true|false` (Go's
 * strconv.ParseBool words); node's parseArgs knows only the first form, so
 * these are taken out of argv first.
 */
function takeBoolFlags(argv: string[], names: string[]): { args: string[]; bools: Map<string, boolean> } {
  const args: string[] = [];
  const bools = new Map<string, boolean>();
  for (const arg of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !names.includes(m[1]!)) {
      args.push(arg);
      continue;
    }
    const text = m[2];
    if (text === undefined || ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) bools.set(m[1]!, true);
    else if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) bools.set(m[1]!, false);
    else throw new Error(`invalid argument "${text}" for "--${m[1]}" flag: strconv.ParseBool: parsing "${text}": invalid syntax`);
  }
  return { args, bools };
}

/** The network settings: flags over daemon.json. */
function networkSettings(file: DaemonConfig, values: Record<string, string | boolean | string[] | undefined>, bools: Map<string, boolean>): DaemonConfig {
  const str = (k: string) => values[k] as string | undefined;
  const list = (k: string) => values[k] as string[] | undefined;
  const pools = list('default-address-pool')?.map(parsePoolFlag);
  return {
    bridge: str('bridge') ?? file.bridge,
    bip: str('bip') ?? file.bip,
    'default-address-pools': pools ?? file['default-address-pools'],
    'ip-forward': bools.get('ip-forward') ?? file['ip-forward'],
    iptables: bools.get('iptables') ?? file.iptables,
    dns: list('dns') ?? file.dns,
    'dns-search': list('dns-search') ?? file['dns-search'],
    'dns-opts': list('dns-opt') ?? file['dns-opts'],
    'host-gateway-ip': str('host-gateway-ip') ?? file['host-gateway-ip'],
  };
}

function listen(server: Server, start: (done: () => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    start(() => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** `tcp://[host][:port]`; dockerd's TLS port 2376 when none is given. */
function parseTcpHost(host: string): { hostname: string; port: number } {
  let url: URL;
  try {
    url = new URL(host.replace(/^tcp:\/\/:/, 'tcp://0.0.0.0:'));
  } catch {
    throw new Error(`invalid host: ${host}`);
  }
  const port = url.port === '' ? 2376 : Number(url.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || url.pathname.replace(/^\/$/, '') !== '') throw new Error(`invalid host: ${host}`);
  return { hostname: url.hostname.replace(/^\[|\]$/g, ''), port };
}

function readTlsFiles(files: { ca: string; cert: string; key: string }): https.ServerOptions {
  const read = (what: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`could not read ${what} "${file}": ${(err as Error).message}`);
    }
  };
  return { ca: read('CA certificate', files.ca), cert: read('certificate', files.cert), key: read('key', files.key), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' };
}

/** A socket file left by a daemon that died is removed; one still answered is an error. */
async function removeStaleSocket(socketPath: string): Promise<void> {
  if (!existsSync(socketPath)) return;
  const alive = await new Promise<boolean>((resolve) => {
    const c = net.connect(socketPath);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`socket ${socketPath} is in use by another daemon`);
  await fs.rm(socketPath, { force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`berthd: ${(err as Error).message}\n`);
  process.exit(1);
});
