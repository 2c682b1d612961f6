/**
 * The CLI's `berth registry serve|gc` (cli/local-registry.ts) joined to the
 * registry server (src/registry/server). Under Bun (the compiled bin/berth)
 * the server runs in the Node bundle beside it (bin/berth-node): its HTTP
 * streaming, fs and crash-safety were written and tested against Node.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import type { LocalRegistry, RegistryGcOptions, RegistryServeOptions } from '../cli/local-registry.ts';
import { loadRegistryConfig, resolveRegistryConfig } from '../registry/server/config.ts';
import { registryGc } from '../registry/server/registry-gc.ts';
import { startRegistry } from '../registry/server/registry-server.ts';
import { isLogLevel, setLogLevel } from '../util/log.ts';

/** Under Bun: run this same command line with bin/berth-node; resolves with its exit code. */
function reexecUnderNode(): Promise<number> | undefined {
  if (!('bun' in process.versions)) return undefined;
  const node = path.join(path.dirname(process.execPath), 'berth-node');
  if (!existsSync(node)) return undefined;
  // fd 3 is a pipe the child watches: when this process dies (even by SIGKILL) it closes and the server stops too.
  const child = spawn(node, process.argv.slice(2), { stdio: ['inherit', 'inherit', 'inherit', 'pipe'], env: { ...process.env, BERTH_PARENT_PIPE: '3' } });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? 128 + 15 : 1))));
}

export const localRegistry: LocalRegistry = {
  async serve(opts: RegistryServeOptions, out) {
    const again = reexecUnderNode();
    if (again) return again;
    if (process.env['BERTH_PARENT_PIPE'] === '3') {
      // A socket, not an fs stream: an fs read of a pipe blocks a pool thread, and process.exit then hangs on it.
      const watch = new Socket({ fd: 3, readable: true, writable: false });
      watch.on('data', () => undefined);
      watch.on('close', () => process.exit(1));
      watch.on('error', () => process.exit(1));
      watch.unref();
    }
    if (opts.logLevel && isLogLevel(opts.logLevel)) setLogLevel(opts.logLevel);
    const file = opts.config ? loadRegistryConfig(opts.config) : undefined;
    const config = resolveRegistryConfig({ ...(opts.addr ? { addr: opts.addr } : {}), ...(opts.root ? { root: path.resolve(opts.root) } : {}) }, file);
    const handle = await startRegistry(config);
    out.write(`listening on ${handle.url}\n`);
    return new Promise<number>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void handle.close().then(() => resolve(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
  async gc(opts: RegistryGcOptions) {
    const file = opts.config ? loadRegistryConfig(opts.config) : undefined;
    const config = resolveRegistryConfig(opts.root ? { root: path.resolve(opts.root) } : {}, file);
    return registryGc({ root: config.root, dryRun: opts.dryRun, uploadMaxAgeMs: opts.uploadMaxAgeMs ?? config.uploadPurgeAge * 1000 });
  },
};
