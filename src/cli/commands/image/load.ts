/** `berth load [-i FILE] [-q]`: send a tar, print the daemon's "Loaded image: …" lines. */
import { createReadStream } from 'node:fs';
import type { CommandSpec } from '../../command.ts';
import { imageLoad } from '../../../client/images.ts';
import { printJsonMessages } from '../../format/progress.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Read images from a tar file (standard input by default)',
  aliases: ['image load', 'load'],
  args: { exact: 0 },
  flags: [
    { long: 'input', short: 'i', type: 'string', usage: 'Archive to read (standard input when not given)' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print nothing while loading' },
  ],
  async run({ cli, flags }) {
    const file = flags.str('input');
    if (!file && cli.streams.stdin.isTTY) throw new Error('requested load from stdin, but stdin is empty');
    const res = await imageLoad(cli.api(), file ? createReadStream(file) : cli.streams.stdin, flags.bool('quiet') || !cli.out.isTTY);
    await printJsonMessages(res, cli.out);
  },
};
