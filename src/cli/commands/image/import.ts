/** `berth import file|URL|- [REPOSITORY[:TAG]]`: prints the new image ID. */
import { createReadStream } from 'node:fs';
import type { CommandSpec } from '../../command.ts';
import { imageImport } from '../../../client/images.ts';
import { splitReference } from '../../format/reference.ts';
import { printJsonMessages } from '../../format/progress.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  short: 'Make an image from the files in a tarball',
  aliases: ['image import', 'import'],
  args: { min: 1, max: 2 },
  flags: [
    { long: 'change', short: 'c', type: 'list', usage: 'Dockerfile instruction to apply to the new image' },
    { long: 'message', short: 'm', type: 'string', usage: 'Message recorded with the new image' },
    { long: 'platform', type: 'string', usage: 'Platform to use when the server supports several' },
  ],
  async run({ cli, flags, args }) {
    const [src = '', ref] = args;
    const r = ref ? splitReference(ref) : undefined;
    const isUrl = /^https?:\/\//.test(src);
    const body = src === '-' ? cli.streams.stdin : isUrl ? undefined : createReadStream(src);
    const res = await imageImport(
      cli.api(),
      { fromSrc: src === '-' || !isUrl ? '-' : src, repo: r?.name, tag: r?.tag, message: flags.str('message'), changes: flags.list('change'), platform: flags.str('platform') },
      body,
    );
    await printJsonMessages(res, cli.out);
  },
};
