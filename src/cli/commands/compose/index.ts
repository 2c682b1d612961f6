/** The `berth compose` subcommands, loaded on use (as commands/index.ts does for docker's). */
import type { ComposeContext } from './project-flags.ts';
import type { CommandSpec } from '../../command.ts';

export interface ComposeCommandSpec extends Omit<CommandSpec, 'run'> {
  run(ctx: ComposeContext): Promise<number | void>;
}

interface Entry {
  short: string;
  load: () => Promise<{ command: ComposeCommandSpec }>;
}

export const COMPOSE_COMMANDS: Record<string, Entry> = {
  config: { short: 'Parse, resolve and render compose file in canonical format', load: () => import('./config.ts') },
};
