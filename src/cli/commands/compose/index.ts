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
  build: { short: 'Build the images of services', load: from(verbs, 'build') },
  config: { short: 'Show the Compose model after loading, merging and interpolation', load: () => import('./config.ts') },
  cp: { short: 'Copy files or directories into or out of a service container', load: from(execs, 'cp') },
  create: { short: 'Make the containers of services without starting them', load: from(verbs, 'createCommand') },
  down: { short: 'Stop the project and delete its containers and networks', load: () => import('./down.ts') },
  events: { short: "Follow the project's container events as they happen", load: from(misc, 'events') },
  exec: { short: 'Run a command in a running service container', load: from(execs, 'exec') },
  images: { short: "Show the images the project's containers use", load: from(misc, 'images') },
  kill: { short: 'Send a signal (KILL by default) to service containers', load: from(verbs, 'kill') },
  logs: { short: "Print the services' logs", load: () => import('./logs.ts') },
  ls: { short: 'Show Compose projects', load: from(misc, 'ls') },
  pause: { short: "Freeze the services' containers", load: from(verbs, 'pause') },
  port: { short: 'Print the host address a service port is published on', load: from(misc, 'port') },
  ps: { short: "Show the project's containers", load: () => import('./ps.ts') },
  pull: { short: "Fetch the services' images", load: from(verbs, 'pull') },
  push: { short: 'Upload the images of services to their registries', load: from(more, 'push') },
  restart: { short: 'Stop and start service containers again', load: from(verbs, 'restart') },
  rm: { short: 'Delete stopped service containers', load: from(verbs, 'rm') },
  run: { short: 'Run a single command in a new container of a service', load: from(execs, 'run') },
  scale: { short: 'Set the number of containers of services', load: from(more, 'scale') },
  start: { short: "Start the services' existing containers", load: from(verbs, 'start') },
  stats: { short: "Show the resource usage of the project's containers, live", load: from(more, 'stats') },
  stop: { short: "Stop the services' running containers", load: from(verbs, 'stop') },
  top: { short: 'List the processes in service containers', load: from(misc, 'top') },
  unpause: { short: 'Let paused service containers run again', load: from(verbs, 'unpause') },
  up: { short: "Create the project's resources and start its containers", load: () => import('./up.ts') },
  version: { short: 'Show the Compose version', load: from(misc, 'version') },
  wait: { short: "Wait until the services' containers stop", load: from(misc, 'wait') },
  watch: { short: 'Sync, restart or rebuild service containers as their files change', load: () => import('./watch.ts') },
};
