/** `berth logout [SERVER]`: erase the server's credentials from config.json (docker 28's words and key forms). */
import type { CommandSpec } from '../../command.ts';
import { eraseAuth } from '../../registry/credentials.ts';
import { writeConfigFile } from '../../registry/config-write.ts';

export const command: CommandSpec = {
  usage: '[SERVER]',
  short: 'Sign out of a registry',
  long: "Sign out of a registry.\nWithout SERVER, the daemon's default registry is meant.",
  aliases: ['logout'],
  args: { max: 1 },
  flags: [],
  async run({ cli, args }) {
    const { text, hostname } = eraseAuth(cli.config, args[0] ?? '');
    cli.out.write(`Removing login credentials for ${hostname}\n`);
    writeConfigFile(cli.configDir, text);
  },
};
