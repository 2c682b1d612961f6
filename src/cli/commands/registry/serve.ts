/** `berth registry serve [--addr] [--root] [--config]`: an OCI distribution registry (the `registry:2` role). */
import type { CommandSpec } from '../../command.ts';
import { localRegistry } from '../../local-registry.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Run an OCI distribution registry server',
  args: { exact: 0 },
  flags: [
    { long: 'addr', type: 'string', usage: 'Address to listen on (host:port) (default "127.0.0.1:5000")' },
    { long: 'root', type: 'string', usage: 'Storage directory (default "/var/lib/berth-registry")' },
    { long: 'config', type: 'string', usage: 'Configuration file (YAML or JSON): auth, TLS, storage' },
  ],
  async run({ cli, flags }) {
    const reg = await localRegistry();
    return reg.serve(
      { addr: flags.str('addr') || undefined, root: flags.str('root') || undefined, config: flags.str('config') || undefined, logLevel: cli.globals.debug ? 'debug' : cli.globals.logLevel },
      cli.out,
    );
  },
};
