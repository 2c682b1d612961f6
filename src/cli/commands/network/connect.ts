/** `berth network connect [--ip --ip6 --alias --link --link-local-ip --driver-opt --gw-priority] NETWORK CONTAINER`. */
import type { CommandSpec } from '../../command.ts';
import { networkConnect } from '../../../client/networks.ts';
import { connectEndpoint } from '../../opts/network-opts.ts';
import { splitStringSlice, validateLink } from '../../opts/specs.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  short: 'Connect a container to a network',
  aliases: ['network connect'],
  args: { exact: 2 },
  flags: [
    { long: 'alias', type: 'list', typeName: 'strings', usage: 'Another name the container answers to on this network' },
    { long: 'driver-opt', type: 'list', typeName: 'strings', usage: 'Options for the network driver on this endpoint' },
    { long: 'gw-priority', type: 'int', usage: 'Among the networks of a container, the one with the highest value gives the default gateway' },
    { long: 'ip', type: 'string', usage: 'A fixed IPv4 address for the container (e.g., "172.30.100.104")' },
    { long: 'ip6', type: 'string', usage: 'A fixed IPv6 address for the container (e.g., "2001:db8::33")' },
    { long: 'link', type: 'list', usage: 'Link to another container (name[:alias])', parse: validateLink },
    { long: 'link-local-ip', type: 'list', typeName: 'strings', usage: 'A link-local address for the container' },
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
