/** `berth rmi` / `image rm`: "Untagged: …" and "Deleted: …" lines per image. */
import type { CommandSpec } from '../../command.ts';
import { forEachTarget } from '../../errors.ts';
import { imageRemove } from '../../../client/images.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  short: 'Delete images',
  aliases: ['image rm', 'image remove', 'rmi'],
  args: { min: 1 },
  flags: [
    { long: 'force', short: 'f', type: 'bool', usage: 'Delete even images that are in use or have several tags' },
    { long: 'no-prune', type: 'bool', usage: 'Keep parent images that lose their last tag' },
  ],
  async run({ cli, flags, args }) {
    const api = cli.api();
    await forEachTarget(args, async (name) => {
      for (const d of await imageRemove(api, name, { force: flags.bool('force'), noprune: flags.bool('no-prune') })) {
        if (d.Untagged) cli.out.write(`Untagged: ${d.Untagged}\n`);
        if (d.Deleted) cli.out.write(`Deleted: ${d.Deleted}\n`);
      }
    });
  },
};
