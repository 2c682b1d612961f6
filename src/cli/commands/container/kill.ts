/** `berth kill`: Kill one or more running containers; prints each name as given, one error line per failure (exit 1), as docker does. */
import type { CommandSpec } from '../../command.ts';
import { forEachTarget } from '../../errors.ts';
import { containerKill } from '../../../client/containers.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Send a signal (KILL by default) to running containers',
  aliases: ['container kill', 'kill'],
  args: { min: 1 },
  flags: [{ long: 'signal', short: 's', type: 'string', usage: 'Which signal to send' }],
  async run({ cli, flags, args }) {
    const api = cli.api();
    await forEachTarget(args, async (name) => {
      await containerKill(api, name, flags.str('signal') || undefined);
      cli.out.write(`${name}\n`);
    });
  },
};
