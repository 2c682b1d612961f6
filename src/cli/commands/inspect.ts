/** `berth inspect [--type] NAME|ID...`: any object kind; docker's "No such object" when none matches. */
import type { CommandSpec } from '../command.ts';
import { fetchOther, fetchRaw, isNotFound, runInspect, type InspectKind } from './inspect-run.ts';

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
    const types = ['config', 'container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'];
    if (type && !types.includes(type)) {
      throw new Error(`unknown type: "${type}": must be one of ${types.map((t) => `"${t}"`).join(', ')}`);
    }
    if (type && type !== 'container' && type !== 'image' && type !== 'network') {
      // Objects this daemon does not have yet: its answer to their inspect route, as docker would get it.
      const api = cli.api();
      await runInspect(cli, args, flags.str('format'), async (ref) => fetchOther(api, type, ref));
      return;
    }
    // docker tries the kinds in this order when no --type is given.
    const kinds: InspectKind[] = type ? [type as InspectKind] : ['container', 'image', 'network', 'volume'];
    const api = cli.api();
    await runInspect(cli, args, flags.str('format'), async (ref) => {
      for (const kind of kinds) {
        try {
          const raw = await fetchRaw(api, kind, ref, flags.bool('size'));
          if (flags.bool('size') && kind !== 'container') cli.err.write(`WARNING: --size ignored for ${kind}\n`);
          return raw;
        } catch (err) {
          // With --type the daemon's own answer is the error, as docker/cli does.
          if (type || !isNotFound(err)) throw err;
        }
      }
      throw new Error(`Error: No such object: ${ref}`);
    });
  },
};
