/** `berth rename CONTAINER NEW_NAME`. */
import type { CommandSpec } from '../../command.ts';
import { containerRename } from '../../../client/containers.ts';
import { describeError } from '../../errors.ts';

export const command: CommandSpec = {
  usage: 'CONTAINER NEW_NAME',
  short: 'Give a container a new name',
  aliases: ['container rename', 'rename'],
  args: { exact: 2 },
  flags: [],
  async run({ cli, args }) {
    const oldName = (args[0] ?? '').trim();
    const newName = (args[1] ?? '').trim();
    if (oldName === '' || newName === '') throw new Error('Error: Neither old nor new names may be empty');
    try {
      await containerRename(cli.api(), oldName, newName);
    } catch (err) {
      // docker/cli prints the daemon's answer, then its own line.
      cli.err.write(`${describeError(err)}\n`);
      throw new Error(`Error: failed to rename container named ${oldName}`, { cause: err });
    }
  },
};
