/**
 * `berth volume rm`: each volume in turn, its name printed when removed;
 * the daemon's errors are reported together at the end (exit 1), as
 * docker joins them. -f: a volume that does not exist is no error.
 */
import type { CommandSpec } from '../../command.ts';
import { volumeRemove } from '../../../client/volumes.ts';
import { MultiError } from '../../errors.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  short: 'Delete volumes',
  aliases: ['volume rm', 'volume remove'],
  args: { min: 1 },
  flags: [{ long: 'force', short: 'f', type: 'bool', usage: 'Say nothing about volumes that do not exist' }],
  async run({ cli, flags, args }) {
    const api = cli.api();
    const errors: unknown[] = [];
    for (const name of args) {
      try {
        await volumeRemove(api, name, flags.bool('force'));
      } catch (err) {
        errors.push(err);
        continue;
      }
      cli.out.write(`${name}\n`);
    }
    if (errors.length > 0) throw new MultiError(errors);
  },
};
