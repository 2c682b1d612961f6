/** `berth pause`: Pause all processes within one or more containers; prints each name as given, one error line per failure (exit 1), as docker does. */
import type { CommandSpec } from '../../command.ts';
import { forEachTarget } from '../../errors.ts';
import { containerPause } from '../../../client/containers.ts';

export const command: CommandSpec = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Freeze every process in the given containers',
  aliases: ['container pause', 'pause'],
  args: { min: 1 },
  flags: [],
  async run({ cli, args }) {
    const api = cli.api();
    await forEachTarget(args, async (name) => {
      await containerPause(api, name);
      cli.out.write(`${name}\n`);
    });
  },
};
