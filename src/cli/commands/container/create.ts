/** `berth create`: the create half of run; prints the new container's ID. */
import { readFileSync } from 'node:fs';
import type { CommandSpec } from '../../command.ts';
import { CONTAINER_FLAGS } from '../../opts/container-flags.ts';
import { toCreateBody } from '../../opts/container-config.ts';
import { StatusError, describeError } from '../../errors.ts';
import { checkDaemonPlatform, createContainer } from './create-container.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Make a container from an image without starting it',
  aliases: ['container create', 'create'],
  args: { min: 1 },
  interspersed: false,
  // docker create words --pull differently from run (its "|missing" included).
  flags: CONTAINER_FLAGS.map((f) => (f.long === 'pull' ? { ...f, usage: 'When to fetch the image first ("always", "|missing", "never")' } : f)),
  async run({ cli, flags, args }) {
    const [image = '', ...cmd] = args;
    let body: Record<string, unknown>;
    try {
      body = toCreateBody(flags, { image, args: cmd, env: cli.env, readFile: (p) => readFileSync(p, 'utf8'), detach: false });
    } catch (err) {
      throw new StatusError(`${cli.bin}: ${describeError(err)}\n\nRun '${cli.bin} create --help' for more information`, 125);
    }
    await checkDaemonPlatform(cli, body);
    // Unlike run, create reports the daemon's refusals plainly (exit 1), as the docker CLI does.
    const id = await createContainer(cli, body, { name: flags.str('name'), platform: flags.str('platform'), pull: flags.str('pull'), cidfile: flags.str('cidfile'), image, quiet: flags.bool('quiet') });
    cli.out.write(`${id}\n`);
  },
};
