/** `berth inspect [--type] NAME|ID...`: any object kind; docker's "No such object" when none matches. */
import type { CommandSpec } from '../command.ts';
import { fetchOther, fetchRaw, isNotFound, runInspect, type InspectKind } from './inspect-run.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Show the full details of any Berth object',
  aliases: ['inspect'],
  args: { min: 1 },
  flags: [
    { long: 'format', short: 'f', type: 'string', usage: "Choose the output layout:\n'json':             the object as JSON\n'TEMPLATE':         the object through a Go template\n(templates follow Go's text/template syntax)" },
    { long: 'size', short: 's', type: 'bool', usage: 'Also report file sizes (containers only)' },
    { long: 'type', type: 'string', usage: 'Look only for objects of this type' },
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
