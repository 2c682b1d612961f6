/** `berth rm`: Remove one or more containers; prints each name as given, one error line per failure (exit 1), as docker does. */
import type { CommandSpec } from '../../command.ts';
import { forEachTarget } from '../../errors.ts';
import { containerRemove } from '../../../client/containers.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Delete containers',
  aliases: ['container rm', 'container remove', 'rm'],
  args: { min: 1 },
  flags: [{ long: 'force', short: 'f', type: 'bool', usage: 'Delete even a running container (killing it first)' },
    { long: 'link', short: 'l', type: 'bool', usage: 'Delete the named link, not the container' },
    { long: 'volumes', short: 'v', type: 'bool', usage: "Also delete the container's anonymous volumes" }],
  async run({ cli, flags, args }) {
    const api = cli.api();
    await forEachTarget(args, async (name) => {
      await containerRemove(api, name, { force: flags.bool('force'), v: flags.bool('volumes'), link: flags.bool('link') });
      cli.out.write(`${name}\n`);
    });
  },
};
