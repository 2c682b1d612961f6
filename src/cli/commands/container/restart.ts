/** `berth restart`: Restart one or more containers; prints each name as given, one error line per failure (exit 1), as docker does. */
import type { CommandSpec } from '../../command.ts';
import { forEachTarget } from '../../errors.ts';
import { containerRestart } from '../../../client/containers.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Stop and start containers again',
  aliases: ['container restart', 'restart'],
  args: { min: 1 },
  flags: [{ long: 'signal', short: 's', type: 'string', usage: 'Which signal to send' },
    { long: 'timeout', short: 't', type: 'int', usage: 'Grace period in seconds before the container is killed' }],
  async run({ cli, flags, args }) {
    const api = cli.api();
    await forEachTarget(args, async (name) => {
      await containerRestart(api, name, { t: flags.has('timeout') ? flags.int('timeout') : undefined, signal: flags.str('signal') || undefined });
      cli.out.write(`${name}\n`);
    });
  },
};
