/** `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: "80/tcp -> 0.0.0.0:8080" lines in docker's natural order. */
import type { CommandSpec } from '../../command.ts';
import { containerInspect } from '../../../client/containers.ts';
import { formatPortLines } from '../../format/port-lines.ts';

export const command: CommandSpec = {
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  short: "Show which host ports a container's ports map to",
  aliases: ['container port', 'port'],
  args: { min: 1, max: 2 },
  flags: [],
  async run({ cli, args }) {
    const [name = '', want] = args;
    const c = await containerInspect(cli.api(), name);
    const text = formatPortLines(c.NetworkSettings?.Ports ?? {}, name, want);
    if (text) cli.out.write(text);
  },
};
