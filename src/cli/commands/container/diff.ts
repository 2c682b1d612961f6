/** `berth diff`: one "C|A|D path" line per change. */
import type { CommandSpec } from '../../command.ts';
import { containerChanges } from '../../../client/containers.ts';

const KIND = ['C', 'A', 'D'];

export const command: CommandSpec = {
  usage: 'CONTAINER',
  short: 'List files a container added, changed or deleted',
  aliases: ['container diff', 'diff'],
  args: { exact: 1 },
  flags: [],
  async run({ cli, args }) {
    const changes = (await containerChanges(cli.api(), args[0] ?? '')) ?? [];
    for (const c of changes) cli.out.write(`${KIND[c.Kind] ?? '?'} ${c.Path}\n`);
  },
};
