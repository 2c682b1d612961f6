/** `berth export [-o FILE] CONTAINER`: the filesystem as a tar stream. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { CommandSpec } from '../../command.ts';
import { containerExport } from '../../../client/containers.ts';
import { writableOf } from '../../streams/output.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER',
  short: "Write a container's files out as a tar archive",
  aliases: ['container export', 'export'],
  args: { exact: 1 },
  flags: [{ long: 'output', short: 'o', type: 'string', usage: 'Output file (standard output when not given)' }],
  async run({ cli, flags, args }) {
    const out = flags.str('output');
    if (!out && cli.out.isTTY) throw new Error('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const res = await containerExport(cli.api(), args[0] ?? '');
    await pipeline(res, out ? createWriteStream(out) : writableOf(cli.out));
  },
};
