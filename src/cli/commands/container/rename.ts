/** `berth rename CONTAINER NEW_NAME`. */
import type { CommandSpec } from '../../command.ts';
import { containerRename } from '../../../client/containers.ts';

export const command: CommandSpec = {
  usage: 'CONTAINER NEW_NAME',
  short: 'Rename a container',
  aliases: ['container rename', 'rename'],
  args: { exact: 2 },
  flags: [],
  async run({ cli, args }) {
    const [oldName = '', newName = ''] = args;
    if (newName.trim() === '') throw new Error('Error: Neither old nor new names may be empty');
    await containerRename(cli.api(), oldName, newName.trim());
  },
};
