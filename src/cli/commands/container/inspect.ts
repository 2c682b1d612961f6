/** `berth container inspect`. */
import type { CommandSpec } from '../../command.ts';
import { fetchRaw, runInspect } from '../inspect-run.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Display detailed information on one or more containers',
  aliases: ['container inspect'],
  args: { min: 1 },
  flags: [
    { long: 'format', short: 'f', type: 'string', usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates" },
    { long: 'size', short: 's', type: 'bool', usage: 'Display total file sizes' },
  ],
  async run({ cli, flags, args }) {
    const api = cli.api();
    await runInspect(cli, args, flags.str('format'), (ref) => fetchRaw(api, 'container', ref, flags.bool('size')));
  },
};
