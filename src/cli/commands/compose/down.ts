/** `berth compose down`: stop and remove the project's containers and networks (-v volumes, --rmi images). */
import { StatusError } from '../../errors.ts';
import { down } from '../../../compose/up.ts';
import type { ComposeCommandSpec } from './index.ts';
import { composeEnv, projectNameOnly } from './session.ts';

export const command: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICES]',
  short: 'Stop and remove containers, networks',
  flags: [
    { long: 'remove-orphans', type: 'bool', usage: 'Remove containers for services not defined in the Compose file' },
    { long: 'rmi', type: 'string', usage: 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")' },
    { long: 'timeout', short: 't', type: 'int', usage: 'Specify a shutdown timeout in seconds' },
    { long: 'volumes', short: 'v', type: 'bool', usage: 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers' },
  ],
  async run({ cli, flags, compose }) {
    const rmi = flags.str('rmi');
    if (rmi !== '' && rmi !== 'local' && rmi !== 'all') throw new StatusError(`invalid value for --rmi: ${rmi}`, 1);
    const project = projectNameOnly(cli, compose)!;
    const env = composeEnv(cli, compose);
    await down(env, project, {
      volumes: flags.bool('volumes'),
      rmi: (rmi || undefined) as 'local' | 'all' | undefined,
      removeOrphans: flags.bool('remove-orphans'),
      timeout: flags.has('timeout') ? flags.int('timeout') : undefined,
    });
  },
};
