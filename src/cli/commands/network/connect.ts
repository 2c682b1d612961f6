/** `berth network connect [--ip --ip6 --alias --link --link-local-ip --driver-opt --gw-priority] NETWORK CONTAINER`. */
import type { CommandSpec } from '../../command.ts';
import { networkConnect } from '../../../client/networks.ts';
import { connectEndpoint } from '../../opts/network-opts.ts';
import { splitStringSlice, validateLink } from '../../opts/specs.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  short: 'Put a container on a network',
  aliases: ['network connect'],
  args: { exact: 2 },
  flags: [
    { long: 'alias', type: 'list', typeName: 'strings', usage: 'Another name the container answers to on this network' },
    { long: 'driver-opt', type: 'list', typeName: 'strings', usage: 'Driver settings for this attachment' },
    { long: 'gw-priority', type: 'int', usage: 'Among the networks of a container, the one with the highest value gives the default gateway' },
    { long: 'ip', type: 'string', usage: 'IPv4 address to give the container (for example "172.20.0.5")' },
    { long: 'ip6', type: 'string', usage: 'IPv6 address to give the container (for example "2001:db8::5")' },
    { long: 'link', type: 'list', usage: 'Legacy link to a container (name[:alias])', parse: validateLink },
    { long: 'link-local-ip', type: 'list', typeName: 'strings', usage: 'Additional link-local IP' },
  ],
  async run({ cli, flags, args }) {
    const endpoint = connectEndpoint({
      ipv4: flags.str('ip'),
      ipv6: flags.str('ip6'),
      linkLocalIps: flags.list('link-local-ip').flatMap(splitStringSlice),
      links: flags.list('link'),
      aliases: flags.list('alias').flatMap(splitStringSlice),
      driverOpts: flags.list('driver-opt').flatMap(splitStringSlice),
      gwPriority: flags.int('gw-priority'),
    });
    await networkConnect(cli.api(), args[0] ?? '', args[1] ?? '', endpoint);
  },
};
