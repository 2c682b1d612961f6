/** `berth volume inspect`: the daemon's JSON of each volume, or a template over it; misses reported after (exit 1). */
import type { CommandSpec } from '../../command.ts';
import { volumeInspectRaw } from '../../../client/volumes.ts';
import { runInspect } from '../inspect-run.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  short: 'Show the details of one or more volumes',
  aliases: ['volume inspect'],
  args: { min: 1 },
  flags: [
    { long: 'format', short: 'f', type: 'string', usage: "Print with a template instead of as JSON:\n'json':             JSON (the default)\n'TEMPLATE':         a Go template over each volume" },
  ],
  async run({ cli, flags, args }) {
    const api = cli.api();
    await runInspect(cli, args, flags.str('format'), (name) => volumeInspectRaw(api, name));
  },
};
