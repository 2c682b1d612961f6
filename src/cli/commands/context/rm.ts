/** `berth context rm NAME...`. */
import type { CommandSpec } from '../../command.ts';
import { forEachTarget } from '../../errors.ts';

export const command: CommandSpec = {
  usage: 'CONTEXT [CONTEXT...]',
  short: 'Delete contexts',
  aliases: ['context rm', 'context remove'],
  args: { min: 1 },
  flags: [{ long: 'force', short: 'f', type: 'bool', usage: 'Delete the context even if it is the current one' }],
  async run({ cli, flags, args }) {
    await forEachTarget(args, async (name) => {
      if (name === 'default') throw new Error('default: context "default" cannot be removed');
      if (name === cli.currentContext() && !flags.bool('force')) throw new Error(`${name}: context "${name}" is in use, set -f flag to force remove`);
      cli.contextStore().remove(name);
      cli.out.write(`${name}\n`);
    });
  },
};
