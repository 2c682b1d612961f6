/** `berth pull [-a] [--platform P] [-q] NAME[:TAG|@DIGEST]`: progress, then the full reference (docker 28). */
import type { CommandSpec } from '../../command.ts';
import { formatNamed, isNameOnly, parseNamed } from '../../registry/reference.ts';
import { pullReference } from '../../registry/pull.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
  short: 'Fetch an image from its registry',
  aliases: ['image pull', 'pull'],
  args: { exact: 1 },
  flags: [
    { long: 'all-tags', short: 'a', type: 'bool', usage: 'Fetch every tag of the repository' },
    { long: 'disable-content-trust', type: 'bool', usage: 'Do not check image signatures', def: true },
    { long: 'platform', type: 'string', usage: 'Platform to use when the server supports several' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print less while transferring' },
  ],
  async run({ cli, flags, args }) {
    const all = flags.bool('all-tags');
    const quiet = flags.bool('quiet');
    let ref = parseNamed(args[0] ?? '');
    if (all && !isNameOnly(ref)) throw new Error("tag can't be used with --all-tags/-a");
    if (!all && isNameOnly(ref)) {
      ref = { ...ref, tag: 'latest' };
      if (!quiet) cli.out.write('Using default tag: latest\n');
    }
    const platform = flags.str('platform') || cli.env['DOCKER_DEFAULT_PLATFORM'] || '';
    await pullReference(cli, ref, { all, platform, out: quiet ? undefined : cli.out });
    cli.out.write(`${formatNamed(ref)}\n`);
  },
};
