/** `berth context use NAME`: sets config.json's currentContext ("default" clears it). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandSpec } from '../../command.ts';
import { DEFAULT_CONTEXT } from '../../../client/context-store.ts';

export const command: CommandSpec = {
  usage: 'CONTEXT',
  short: 'Choose the context Berth commands use',
  aliases: ['context use'],
  args: { exact: 1 },
  flags: [],
  async run({ cli, args }) {
    const name = args[0] ?? '';
    if (name !== DEFAULT_CONTEXT) cli.contextStore().get(name);
    const cfg = { ...cli.config };
    if (name === DEFAULT_CONTEXT) delete cfg.currentContext;
    else cfg.currentContext = name;
    mkdirSync(cli.configDir, { recursive: true });
    writeFileSync(path.join(cli.configDir, 'config.json'), JSON.stringify(cfg, null, '\t'));
    cli.out.write(`${name}\n`);
    cli.err.write(`Current context is now "${name}"\n`);
  },
};
