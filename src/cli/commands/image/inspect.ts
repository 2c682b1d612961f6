/** `berth image inspect`. */
import type { CommandSpec } from '../../command.ts';
import { fetchRaw, runInspect } from '../inspect-run.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Show the full details of images',
  aliases: ['image inspect'],
  args: { min: 1 },
  flags: [
    { long: 'format', short: 'f', type: 'string', usage: "Choose the output layout:\n'json':             the object as JSON\n'TEMPLATE':         the object through a Go template\n(templates follow Go's text/template syntax)" },
  ],
  async run({ cli, flags, args }) {
    const api = cli.api();
    await runInspect(cli, args, flags.str('format'), (ref) => fetchRaw(api, 'image', ref, flags.bool('size')));
  },
};
