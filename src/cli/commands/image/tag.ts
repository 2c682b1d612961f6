/** `berth tag SOURCE TARGET`. */
import type { CommandSpec } from '../../command.ts';
import { imageTag } from '../../../client/images.ts';
import { splitReference } from '../../format/reference.ts';

export const command: CommandSpec = {
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  short: 'Give SOURCE_IMAGE another name, TARGET_IMAGE',
  aliases: ['image tag', 'tag'],
  args: { exact: 2 },
  flags: [],
  async run({ cli, args }) {
    const [source = '', target = ''] = args;
    const r = splitReference(target);
    if (r.digest !== undefined) throw new Error('refusing to create a tag with a digest reference');
    await imageTag(cli.api(), source, r.name, r.tag ?? 'latest');
  },
};
