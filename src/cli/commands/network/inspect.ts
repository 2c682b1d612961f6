/** `berth network inspect`: the daemon's JSON of each network, or a template over it; misses reported after (exit 1). */
import type { CommandSpec } from '../../command.ts';
import { networkInspectRaw } from '../../../client/networks.ts';
import { runInspect } from '../inspect-run.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  short: 'Show the full details of networks',
  aliases: ['network inspect'],
  args: { min: 1 },
  flags: [
    { long: 'format', short: 'f', type: 'string', usage: "Print with a template instead of as JSON:\n'json':             JSON (the default)\n'TEMPLATE':         a Go template over each network" },
    { long: 'verbose', short: 'v', type: 'bool', usage: 'Ask the daemon for its detailed (diagnostic) view' },
  ],
  async run({ cli, flags, args }) {
    const api = cli.api();
    await runInspect(cli, args, flags.str('format'), (ref) => networkInspectRaw(api, ref, flags.bool('verbose')));
  },
};
