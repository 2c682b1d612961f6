/** `berth commit CONTAINER [REPOSITORY[:TAG]]`: prints the new image ID. */
import type { CommandSpec } from '../../command.ts';
import { imageCommit } from '../../../client/images.ts';
import { splitReference } from '../../format/reference.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Create a new image from a container's changes",
  aliases: ['container commit', 'commit'],
  args: { min: 1, max: 2 },
  flags: [
    { long: 'author', short: 'a', type: 'string', usage: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { long: 'change', short: 'c', type: 'list', usage: 'Apply Dockerfile instruction to the created image' },
    { long: 'message', short: 'm', type: 'string', usage: 'Commit message' },
    { long: 'pause', short: 'p', type: 'bool', usage: 'Pause container during commit', def: true },
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
