/** `berth wait`: block until each container stops, printing its exit code. */
import type { CommandSpec } from '../../command.ts';
import { forEachTarget } from '../../errors.ts';
import { containerWait } from '../../../client/containers.ts';

export const command: CommandSpec = {
  usage: 'CONTAINER [CONTAINER...]',
  short: 'Wait for containers to stop and print their exit codes',
  aliases: ['container wait', 'wait'],
  args: { min: 1 },
  flags: [],
  async run({ cli, args }) {
    const api = cli.api();
    await forEachTarget(args, async (name) => {
      const r = await containerWait(api, name);
      cli.out.write(`${r.StatusCode}\n`);
    });
  },
};
