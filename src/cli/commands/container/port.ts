/** `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: "80/tcp -> 0.0.0.0:8080" lines. */
import type { CommandSpec } from '../../command.ts';
import { containerInspect } from '../../../client/containers.ts';

export const command: CommandSpec = {
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  short: 'List port mappings or a specific mapping for the container',
  aliases: ['container port', 'port'],
  args: { min: 1, max: 2 },
  flags: [],
  async run({ cli, args }) {
    const [name = '', want] = args;
    const c = await containerInspect(cli.api(), name);
    const ports = c.NetworkSettings?.Ports ?? {};
    const hostPort = (b: { HostIp: string; HostPort: string }) => `${b.HostIp.includes(':') ? `[${b.HostIp}]` : b.HostIp || '0.0.0.0'}:${b.HostPort}`;
    if (want) {
      const [port = '', proto = 'tcp'] = want.split('/');
      if (!/^\d+$/.test(port) || Number(port) > 65535) throw new Error(`Error: invalid port (${port}): strconv.ParseUint: parsing ${JSON.stringify(port)}: ${/^\d+$/.test(port) ? 'value out of range' : 'invalid syntax'}`);
      const bindings = ports[`${port}/${proto || 'tcp'}`];
      if (!bindings || bindings.length === 0) throw new Error(`Error: No public port '${want}' published for ${name}`);
      for (const b of bindings) cli.out.write(`${hostPort(b)}\n`);
      return;
    }
    const keys = Object.keys(ports).sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b));
    for (const k of keys) for (const b of ports[k] ?? []) cli.out.write(`${k} -> ${hostPort(b)}\n`);
  },
};
