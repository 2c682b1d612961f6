/**
 * `berth image bootstrap NAME` (Berth only): POST /images/bootstrap?name=…,
 * the daemon builds the image without a registry: busybox from the host
 * binary, `debian[:SUITE[-slim]]` with mmdebstrap from the Debian archive the
 * host's apt uses (or `--mirror`). Prints one line per phase, then the image
 * ID; mmdebstrap's own output with `--debug` (`berth -D image bootstrap …`)
 * or when it fails.
 */
import type { CommandSpec } from '../../command.ts';
import { imageBootstrap } from '../../../client/images.ts';
import { readJsonLines } from '../../../client/json-stream.ts';
import { ApiError } from '../../../client/errors.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NAME',
  short: 'Build an image without a registry (busybox from the host, debian[:SUITE[-slim]] with mmdebstrap)',
  aliases: ['image bootstrap'],
  args: { exact: 1 },
  flags: [
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Only print the image ID' },
    { long: 'mirror', type: 'string', usage: 'Debian archive URL to use instead of the one in /etc/apt/sources.list*' },
    { long: 'debug', type: 'bool', usage: "Show mmdebstrap's output as it runs" },
  ],
  async run({ cli, flags, args }) {
    const res = await imageBootstrap(cli.api(), args[0] ?? '', { mirror: flags.str('mirror') || undefined, debug: flags.bool('debug') || cli.globals.debug });
    let id = '';
    for await (const msg of readJsonLines(res)) {
      if (msg.error) throw new ApiError(500, msg.errorDetail?.message ?? msg.error);
      const aux = msg.aux as { ID?: string } | undefined;
      if (aux?.ID) id = aux.ID;
      // The last status is the image ID: printed once, at the end (alone with -q).
      if (msg.status && /^sha256:[0-9a-f]{64}$/.test(msg.status)) {
        id = msg.status;
        continue;
      }
      if (flags.bool('quiet')) continue;
      if (typeof msg.stream === 'string') cli.out.write(msg.stream);
      else if (msg.status) cli.out.write(msg.id ? `${msg.id}: ${msg.status}\n` : `${msg.status}\n`);
    }
    if (id) cli.out.write(`${id}\n`);
  },
};
