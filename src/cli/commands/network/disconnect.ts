/** `berth network disconnect [-f] NETWORK CONTAINER`. */
import type { CommandSpec } from '../../command.ts';
import { networkDisconnect } from '../../../client/networks.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  short: 'Take a container off a network',
  aliases: ['network disconnect'],
  args: { exact: 2 },
  flags: [{ long: 'force', short: 'f', type: 'bool', usage: 'Disconnect even when the endpoint cannot be cleanly taken down' }],
  async run({ cli, flags, args }) {
    await networkDisconnect(cli.api(), args[0] ?? '', args[1] ?? '', flags.bool('force'));
  },
};
