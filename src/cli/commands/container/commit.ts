/** `berth commit CONTAINER [REPOSITORY[:TAG]]`: prints the new image ID. */
import type { CommandSpec } from '../../command.ts';
import { imageCommit } from '../../../client/images.ts';
import { splitReference } from '../../format/reference.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Save a container's changes as a new image",
  aliases: ['container commit', 'commit'],
  args: { min: 1, max: 2 },
  flags: [
    { long: 'author', short: 'a', type: 'string', usage: 'Who made the image (for example "Ada Lovelace <ada@example.com>")' },
    { long: 'change', short: 'c', type: 'list', usage: 'Dockerfile instruction to apply to the new image' },
    { long: 'message', short: 'm', type: 'string', usage: 'Message recorded with the new image' },
    { long: 'pause', short: 'p', type: 'bool', usage: "Freeze the container's processes while saving it", def: true },
  ],
  async run({ cli, flags, args }) {
    const [container = '', ref] = args;
    const r = ref ? splitReference(ref) : undefined;
    const res = await imageCommit(cli.api(), {
      container,
      repo: r?.name,
      tag: r?.tag,
      comment: flags.str('message'),
      author: flags.str('author'),
      pause: flags.bool('pause'),
      changes: flags.list('change'),
    });
    cli.out.write(`${res.Id}\n`);
  },
};
