/** `berth compose down`: stop and remove the project's containers and networks (-v volumes, --rmi images). */
import { StatusError } from '../../errors.ts';
import { down } from '../../../compose/up.ts';
import type { ComposeCommandSpec } from './index.ts';
import { composeEnv, projectNameOnly } from './session.ts';

export const command: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICES]',
  short: 'Stop the project and delete its containers and networks',
  flags: [
    { long: 'remove-orphans', type: 'bool', usage: 'Also delete containers of services the Compose file no longer has' },
    { long: 'rmi', type: 'string', usage: 'Also delete the services\' images: "local" only those without a custom tag, "all" every one ("local"|"all")' },
    { long: 'timeout', short: 't', type: 'int', usage: 'Seconds to wait for containers to stop' },
    { long: 'volumes', short: 'v', type: 'bool', usage: 'Also delete the project\'s named volumes (top-level "volumes") and the containers\' anonymous volumes' },
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
