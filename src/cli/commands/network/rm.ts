/**
 * `berth network rm`: each network in turn, its name printed when removed
 * and the daemon's error printed at once when not; any failure ends with
 * docker's "exit status 1" line and exit code 1. -f skips missing networks.
 */
import type { CommandSpec } from '../../command.ts';
import { networkRemove } from '../../../client/networks.ts';
import { ApiError } from '../../../client/errors.ts';
import { StatusError, describeError } from '../../errors.ts';

export const command: CommandSpec = {
  usage: 'NETWORK [NETWORK...]',
  short: 'Delete networks',
  aliases: ['network rm', 'network remove'],
  args: { min: 1 },
  flags: [{ long: 'force', short: 'f', type: 'bool', usage: 'Say nothing about networks that do not exist' }],
  async run({ cli, flags, args }) {
    const api = cli.api();
    let failed = false;
    for (const name of args) {
      try {
        await networkRemove(api, name);
      } catch (err) {
        if (flags.bool('force') && err instanceof ApiError && err.statusCode === 404) continue;
        cli.err.write(`${describeError(err)}\n`);
        failed = true;
        continue;
      }
      cli.out.write(`${name}\n`);
    }
    if (failed) throw new StatusError('exit status 1', 1);
  },
};
