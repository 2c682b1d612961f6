/** `berth inspect [--type] NAME|ID...`: any object kind; docker's "No such object" when none matches. */
import type { CommandSpec } from '../command.ts';
import { fetchRaw, isNotFound, runInspect, type InspectKind } from './inspect-run.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Docker objects',
  aliases: ['inspect'],
  args: { min: 1 },
  flags: [
    { long: 'format', short: 'f', type: 'string', usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates" },
    { long: 'size', short: 's', type: 'bool', usage: 'Display total file sizes if the type is container' },
    { long: 'type', type: 'string', usage: 'Only inspect objects of the given type' },
  ],
  async run({ cli, flags, args }) {
    const type = flags.str('type');
    if (type && !['container', 'image', 'network', 'volume', 'config', 'node', 'plugin', 'secret', 'service', 'task'].includes(type)) {
      throw new Error(`"${type}" is not a valid value for --type`);
    }
    const kinds: InspectKind[] = type === 'container' ? ['container'] : type === 'image' ? ['image'] : ['container', 'image'];
    const api = cli.api();
    await runInspect(cli, args, flags.str('format'), async (ref) => {
      for (const kind of kinds) {
        try {
          return await fetchRaw(api, kind, ref, flags.bool('size'));
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      throw new Error(`Error: No such object: ${ref}`);
    });
  },
};
