/**
 * berthd: the Berth daemon. Flags mirror dockerd's. One daemon per data root
 * (an flock on <data-root>/berthd.lock); SIGTERM/SIGINT stop serving and exit,
 * leaving containers running (their monitors outlive us; the next start
 * re-adopts them).
 */
import { parseArgs } from 'node:util';
import { promises as fs, openSync, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Engine } from '../engine/engine.ts';
import { createEngineApi } from '../api/api.ts';
import { native } from '../drivers/native.ts';
import { isLogLevel, log, setLogLevel } from '../util/log.ts';

interface DaemonConfig {
  hosts?: string[];
  'data-root'?: string;
  'exec-root'?: string;
  pidfile?: string;
  'log-level'?: string;
}

function usage(): never {
  process.stdout.write(`Usage:\tberthd [OPTIONS]

A self-sufficient runtime for containers, compatible with Docker's Engine API.

Options:
      --config-file string   Daemon configuration file (default "/etc/berth/daemon.json")
      --data-root string     Root directory of persistent Berth state (default "/var/lib/berth")
      --exec-root string     Root directory for execution state files (default "/run/berth")
  -H, --host list            Daemon socket(s) to connect to (default unix:///run/berth/berth.sock)
  -l, --log-level string     Set the logging level ("debug"|"info"|"warn"|"error") (default "info")
  -p, --pidfile string       Path to use for daemon PID file (default "/run/berth/berthd.pid")
  -v, --version              Print version information and quit
`);
  process.exit(0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', short: 'H', multiple: true },
      'data-root': { type: 'string' },
      'exec-root': { type: 'string' },
      pidfile: { type: 'string', short: 'p' },
      'config-file': { type: 'string' },
      'log-level': { type: 'string', short: 'l' },
      tlsverify: { type: 'boolean' },
      tlscacert: { type: 'string' },
      tlscert: { type: 'string' },
      tlskey: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    allowPositionals: false,
  });
  if (values.help) usage();
  if (values.version) {
    process.stdout.write('Berth version 0.1.0\n');
    return;
  }
  const configFile = values['config-file'] ?? '/etc/berth/daemon.json';
  let fileConfig: DaemonConfig = {};
  if (existsSync(configFile)) {
    try {
      fileConfig = JSON.parse(readFileSync(configFile, 'utf8')) as DaemonConfig;
    } catch (err) {
      throw new Error(`unable to configure the daemon with file ${configFile}: ${(err as Error).message}`);
    }
  } else if (values['config-file']) {
    throw new Error(`unable to configure the daemon with file ${configFile}: open ${configFile}: no such file or directory`);
  }
  const level = values['log-level'] ?? fileConfig['log-level'] ?? 'info';
  if (!isLogLevel(level)) throw new Error(`Unable to parse logging level: ${level}`);
  setLogLevel(level);
  const dataRoot = path.resolve(values['data-root'] ?? fileConfig['data-root'] ?? '/var/lib/berth');
  const execRoot = path.resolve(values['exec-root'] ?? fileConfig['exec-root'] ?? '/run/berth');
  const hosts = values.host ?? fileConfig.hosts ?? ['unix:///run/berth/berth.sock'];
  const pidfile = values.pidfile ?? fileConfig.pidfile ?? `${execRoot}/berthd.pid`;
  if (values.tlsverify || hosts.some((h) => h.startsWith('tcp://'))) {
    throw new Error('TCP listeners (with mutual TLS) are not supported yet; use unix:// sockets');
  }

  await fs.mkdir(dataRoot, { recursive: true, mode: 0o711 });
  await fs.mkdir(execRoot, { recursive: true, mode: 0o700 });
  const lockFd = openSync(`${dataRoot}/berthd.lock`, 'w');
  if (!native().flock(lockFd)) {
    throw new Error(`another berthd is already running with data root ${dataRoot} (lock ${dataRoot}/berthd.lock is held)`);
  }
  await fs.writeFile(pidfile, `${process.pid}\n`);

  const engine = new Engine({ dataRoot, execRoot, logLevel: level });
  await engine.open();
  const server = createEngineApi(engine);
  for (const host of hosts) {
    if (!host.startsWith('unix://')) throw new Error(`invalid host: ${host}`);
    const socketPath = host.slice('unix://'.length);
    await fs.mkdir(path.dirname(socketPath), { recursive: true });
    await removeStaleSocket(socketPath);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await fs.chmod(socketPath, 0o660);
    log.info('API listening', { socket: socketPath });
  }
  log.info('berthd started', { dataRoot, execRoot, pid: process.pid });

  const shutdown = (signal: string) => {
    log.info('shutting down; containers keep running', { signal });
    server.close();
    server.closeAllConnections();
    void engine
      .close()
      .then(() => fs.rm(pidfile, { force: true }))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
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
