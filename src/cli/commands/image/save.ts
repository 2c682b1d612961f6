/** `berth save [-o FILE] IMAGE...`: a tar stream; never to a terminal. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { CommandSpec } from '../../command.ts';
import { imageSave } from '../../../client/images.ts';
import { writableOf } from '../../streams/output.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Write images into a tar file (standard output unless -o is given)',
  aliases: ['image save', 'save'],
  args: { min: 1 },
  flags: [{ long: 'output', short: 'o', type: 'string', usage: 'Output file (standard output when not given)' }],
  async run({ cli, flags, args }) {
    const out = flags.str('output');
    if (!out && cli.out.isTTY) throw new Error('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const res = await imageSave(cli.api(), args);
    await pipeline(res, out ? createWriteStream(out) : writableOf(cli.out));
  },
};
