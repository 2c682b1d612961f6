/** `berth push [-a] [-q] NAME[:TAG]`: the daemon's progress; with -q only the reference (docker 28). */
import type { CommandSpec } from '../../command.ts';
import { imagePush } from '../../../client/images.ts';
import { printJsonMessages } from '../../format/progress.ts';
import { familiarNamed, formatNamed, isNameOnly, parseNamed } from '../../registry/reference.ts';
import { registryAuthFor } from '../../registry/registry-auth.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NAME[:TAG]',
  short: 'Send an image to its registry',
  aliases: ['image push', 'push'],
  args: { exact: 1 },
  flags: [
    { long: 'all-tags', short: 'a', type: 'bool', usage: 'Send every tag of the repository' },
    { long: 'disable-content-trust', type: 'bool', usage: 'Do not sign the image', def: true },
    {
      long: 'platform',
      type: 'string',
      usage: "Send only the manifest for this platform, as an image of its own.\nThe index, other platforms and attestations are not sent.\n'os[/arch[/variant]]', for example linux/arm64",
    },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Print less while transferring' },
  ],
  async run({ cli, flags, args }) {
    // docker's check of a flag newer than the daemon's API (1.46 for push --platform).
    if (flags.has('platform')) throw new Error(`"--platform" requires API version 1.46, but the Docker daemon API version is ${await cli.api().apiVersion()}`);
    const all = flags.bool('all-tags');
    const quiet = flags.bool('quiet');
    let ref = parseNamed(args[0] ?? '');
    if (all && !isNameOnly(ref)) throw new Error("tag can't be used with --all-tags/-a");
    if (!all && isNameOnly(ref)) {
      ref = { ...ref, tag: 'latest' };
      if (!quiet) cli.out.write('Using default tag: latest\n');
    }
    const res = await imagePush(cli.api(), familiarNamed(ref), all ? undefined : (ref.tag ?? ref.digest), registryAuthFor(cli, ref.domain));
    if (quiet) {
      await printJsonMessages(res, { write: () => true } as unknown as NodeJS.WritableStream, { terminal: false });
      cli.out.write(`${formatNamed(ref)}\n`);
      return;
    }
    await printJsonMessages(res, cli.out);
  },
};
