/** `berth network create`: the IPAM entries paired on the client as docker pairs them; prints the new network's ID. */
import type { CommandSpec } from '../../command.ts';
import type { FlagSpec } from '../../flags.ts';
import { networkCreate, type NetworkCreateRequest } from '../../../client/networks.ts';
import { buildIpamConfig } from '../../opts/network-ipam.ts';
import { keyValues, labelsToMap, splitStringSlice, validateLabel } from '../../opts/specs.ts';

const map = (long: string, usage: string, short?: string): FlagSpec => ({ long, short, type: 'list', typeName: 'map', defText: 'map[]', usage });
const slice = (long: string, usage: string): FlagSpec => ({ long, type: 'list', typeName: 'strings', usage });

export const command: CommandSpec = {
  usage: '[OPTIONS] NETWORK',
  short: 'Add a network',
  aliases: ['network create'],
  args: { exact: 1 },
  flags: [
    { long: 'attachable', type: 'bool', usage: 'Let containers be connected to the network by hand' },
    map('aux-address', 'IPv4 or IPv6 addresses the network driver keeps for itself (name=address)'),
    { long: 'config-from', type: 'string', usage: 'A network to take the configuration from' },
    { long: 'config-only', type: 'bool', usage: 'Create a network that only holds a configuration' },
    { long: 'driver', short: 'd', type: 'string', usage: 'The driver that manages the network', def: 'bridge' },
    slice('gateway', 'IPv4 or IPv6 gateway of a subnet'),
    { long: 'ingress', type: 'bool', usage: 'Make a swarm ingress network' },
    { long: 'internal', type: 'bool', usage: 'Cut the network off from outside traffic' },
    slice('ip-range', 'Hand container addresses out of this part of a subnet'),
    { long: 'ipam-driver', type: 'string', usage: 'Driver that hands out the addresses (IPAM)', def: 'default' },
    map('ipam-opt', 'Options for the IP address management driver'),
    { long: 'ipv4', type: 'bool', usage: 'Give containers IPv4 addresses on the network (or not)', def: true },
    { long: 'ipv6', type: 'bool', usage: 'Give containers IPv6 addresses on the network (or not)' },
    { long: 'label', type: 'list', usage: 'Attach metadata to the network', parse: validateLabel },
    map('opt', 'Options for the network driver', 'o'),
    { long: 'scope', type: 'string', usage: 'The scope of the network' },
    slice('subnet', 'A subnet of the network, in CIDR notation'),
  ],
  async run({ cli, flags, args }) {
    const aux = flags.list('aux-address').map((raw): [string, string] => {
      const i = raw.indexOf('=');
      return i < 0 ? [raw, ''] : [raw.slice(0, i), raw.slice(i + 1)];
    });
    const config = buildIpamConfig({
      subnets: flags.list('subnet').flatMap(splitStringSlice),
      ipRanges: flags.list('ip-range').flatMap(splitStringSlice),
      gateways: flags.list('gateway').flatMap(splitStringSlice),
      auxAddresses: aux,
    });
    const req: NetworkCreateRequest = {
      Name: args[0] ?? '',
      Driver: flags.str('driver'),
      Scope: flags.str('scope'),
      IPAM: { Driver: flags.str('ipam-driver'), Options: keyValues(flags.list('ipam-opt')), Config: config },
      Internal: flags.bool('internal'),
      Attachable: flags.bool('attachable'),
      Ingress: flags.bool('ingress'),
      ConfigOnly: flags.bool('config-only'),
      ConfigFrom: flags.str('config-from') ? { Network: flags.str('config-from') } : null,
      Options: keyValues(flags.list('opt')),
      Labels: labelsToMap(flags.list('label')),
    };
    // Sent only when given, as docker's *bool fields.
    if (flags.has('ipv4')) req.EnableIPv4 = flags.bool('ipv4');
    if (flags.has('ipv6')) req.EnableIPv6 = flags.bool('ipv6');
    const res = await networkCreate(cli.api(), req);
    cli.out.write(`${res.Id}\n`);
  },
};
