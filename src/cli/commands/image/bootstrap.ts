/**
 * `berth image bootstrap NAME` (Berth only): POST /images/bootstrap?name=…,
 * the daemon builds the image offline (busybox from the host binary, Debian
 * with mmdebstrap). Prints the progress/stream lines, then the image ID.
 */
import type { CommandSpec } from '../../command.ts';
import { imageBootstrap } from '../../../client/images.ts';
import { readJsonLines } from '../../../client/json-stream.ts';
import { ApiError } from '../../../client/errors.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NAME',
  short: 'Build an image offline from the host (busybox, debian:<suite>)',
  aliases: ['image bootstrap'],
  args: { exact: 1 },
  flags: [{ long: 'quiet', short: 'q', type: 'bool', usage: 'Only print the image ID' }],
  async run({ cli, flags, args }) {
    const res = await imageBootstrap(cli.api(), args[0] ?? '');
    let id = '';
    for await (const msg of readJsonLines(res)) {
      if (msg.error) throw new ApiError(500, msg.errorDetail?.message ?? msg.error);
      const aux = msg.aux as { ID?: string } | undefined;
      if (aux?.ID) id = aux.ID;
      if (flags.bool('quiet')) continue;
      if (typeof msg.stream === 'string') cli.out.write(msg.stream);
      else if (msg.status) cli.out.write(msg.id ? `${msg.id}: ${msg.status}\n` : `${msg.status}\n`);
    }
    if (id) cli.out.write(`${id}\n`);
  },
};
