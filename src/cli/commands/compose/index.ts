/** The `berth compose` subcommands, loaded on use (as commands/index.ts does for docker's). */
import type { ComposeContext } from './project-flags.ts';
import type { CommandSpec } from '../../command.ts';

export interface ComposeCommandSpec extends Omit<CommandSpec, 'run'> {
  run(ctx: ComposeContext): Promise<number | void>;
}
export type ComposeContextArg = ComposeContext;

interface Entry {
  short: string;
  load: () => Promise<{ command: ComposeCommandSpec }>;
}

const from = <K extends string>(load: () => Promise<Record<K, ComposeCommandSpec>>, key: K) => async () => ({ command: (await load())[key] });
const verbs = () => import('./verbs.ts');
const execs = () => import('./exec.ts');
const misc = () => import('./misc.ts');
const more = () => import('./more.ts');

export const COMPOSE_COMMANDS: Record<string, Entry> = {
  attach: { short: "Connect the terminal to a running container of a service", load: from(more, 'attach') },
  build: { short: 'Build or rebuild services', load: from(verbs, 'build') },
  config: { short: 'Parse, resolve and render compose file in canonical format', load: () => import('./config.ts') },
  cp: { short: 'Copy files/folders between a service container and the local filesystem', load: from(execs, 'cp') },
  create: { short: 'Creates containers for a service', load: from(verbs, 'createCommand') },
  down: { short: 'Stop and remove containers, networks', load: () => import('./down.ts') },
  events: { short: 'Receive real time events from containers', load: from(misc, 'events') },
  exec: { short: 'Execute a command in a running container', load: from(execs, 'exec') },
  images: { short: 'List images used by the created containers', load: from(misc, 'images') },
  kill: { short: 'Force stop service containers', load: from(verbs, 'kill') },
  logs: { short: 'View output from containers', load: () => import('./logs.ts') },
  ls: { short: 'List running compose projects', load: from(misc, 'ls') },
  pause: { short: 'Pause services', load: from(verbs, 'pause') },
  port: { short: 'Print the public port for a port binding', load: from(misc, 'port') },
  ps: { short: 'List containers', load: () => import('./ps.ts') },
  pull: { short: 'Pull service images', load: from(verbs, 'pull') },
  push: { short: 'Upload the images of services to their registries', load: from(more, 'push') },
  restart: { short: 'Restart service containers', load: from(verbs, 'restart') },
  rm: { short: 'Removes stopped service containers', load: from(verbs, 'rm') },
  run: { short: 'Run a one-off command on a service', load: from(execs, 'run') },
  scale: { short: 'Set the number of containers of services', load: from(more, 'scale') },
  start: { short: 'Start services', load: from(verbs, 'start') },
  stats: { short: "Show the resource usage of the project's containers, live", load: from(more, 'stats') },
  stop: { short: 'Stop services', load: from(verbs, 'stop') },
  top: { short: 'Display the running processes', load: from(misc, 'top') },
  unpause: { short: 'Unpause services', load: from(verbs, 'unpause') },
  up: { short: 'Create and start containers', load: () => import('./up.ts') },
  wait: { short: 'Block until containers of all (or specified) services stop.', load: from(misc, 'wait') },
  version: { short: 'Show the Docker Compose version information', load: from(misc, 'version') },
};
