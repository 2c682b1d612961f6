/** `berth volume create`: the name as an argument or --name (not both); prints the volume's name. */
import type { CommandSpec } from '../../command.ts';
import { volumeCreate } from '../../../client/volumes.ts';
import { StatusError } from '../../errors.ts';
import { keyValues, labelsToMap, validateLabel } from '../../opts/specs.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] [VOLUME]',
  short: 'Add a volume',
  aliases: ['volume create'],
  args: { max: 1 },
  flags: [
    { long: 'driver', short: 'd', type: 'string', usage: 'The volume driver that keeps the data', def: 'local' },
    { long: 'label', type: 'list', usage: 'Attach metadata to the volume', parse: validateLabel },
    { long: 'name', type: 'string', usage: 'The name of the volume (or give it as the argument)', hidden: true },
    { long: 'opt', short: 'o', type: 'list', typeName: 'map', defText: 'map[]', usage: 'Options for the volume driver (local: type, device, o)' },
  ],
  async run({ cli, flags, args }) {
    let name = flags.str('name');
    if (args.length > 0) {
      if (name !== '') throw new StatusError('conflicting options: cannot specify a volume-name through both --name and as a positional arg', 1);
      name = args[0]!;
    }
    const volume = await volumeCreate(cli.api(), {
      Driver: flags.str('driver'),
      DriverOpts: keyValues(flags.list('opt')),
      Labels: labelsToMap(flags.list('label')),
      Name: name,
    });
    cli.out.write(`${volume.Name}\n`);
  },
};
