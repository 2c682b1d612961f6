/**
 * The command table: every path docker accepts, mapped to a lazily loaded
 * module. Shorts live here too so group help never loads a module.
 */
import type { CommandLoader } from '../command.ts';

interface Entry {
  load: CommandLoader;
  short: string;
}
const e = (short: string, load: CommandLoader): Entry => ({ short, load });

const container = {
  attach: e("Connect this terminal's input and output to a running container", () => import('./container/attach.ts')),
  commit: e("Save a container's changes as a new image", () => import('./container/commit.ts')),
  cp: e('Copy files or directories into or out of a container', () => import('./container/cp.ts')),
  create: e('Make a container from an image without starting it', () => import('./container/create.ts')),
  diff: e('List files a container added, changed or deleted', () => import('./container/diff.ts')),
  exec: e('Run a command inside a running container', () => import('./container/exec.ts')),
  export: e("Write a container's files out as a tar archive", () => import('./container/export.ts')),
  inspect: e('Show the full details of containers', () => import('./container/inspect.ts')),
  kill: e('Send a signal (KILL by default) to running containers', () => import('./container/kill.ts')),
  logs: e("Print a container's log", () => import('./container/logs.ts')),
  ls: e('Show containers', () => import('./container/ls.ts')),
  pause: e('Freeze every process in the given containers', () => import('./container/pause.ts')),
  port: e("Show which host ports a container's ports map to", () => import('./container/port.ts')),
  prune: e('Delete every stopped container', () => import('./container/prune.ts')),
  rename: e('Give a container a new name', () => import('./container/rename.ts')),
  restart: e('Stop and start containers again', () => import('./container/restart.ts')),
  rm: e('Delete containers', () => import('./container/rm.ts')),
  run: e('Start an image as a new container', () => import('./container/run.ts')),
  start: e('Start containers that are not running', () => import('./container/start.ts')),
  stats: e("Show containers' CPU, memory, network and disk use as it happens", () => import('./container/stats.ts')),
  stop: e('Stop running containers', () => import('./container/stop.ts')),
  top: e('List the processes in a container', () => import('./container/top.ts')),
  unpause: e("Let paused containers' processes run again", () => import('./container/unpause.ts')),
  update: e('Change resource limits and the restart policy of containers', () => import('./container/update.ts')),
  wait: e('Wait for containers to stop and print their exit codes', () => import('./container/wait.ts')),
};

const image = {
  build: e('Make an image by following a Dockerfile', () => import('./image/build.ts')),
  bootstrap: e('Build an image without a registry (busybox from the host, debian[:SUITE[-slim]] with mmdebstrap)', () => import('./image/bootstrap.ts')),
  history: e('List the layers an image was made of', () => import('./image/history.ts')),
  import: e('Make an image from the files in a tarball', () => import('./image/import.ts')),
  inspect: e('Show the full details of images', () => import('./image/inspect.ts')),
  load: e('Read images from a tar file (standard input by default)', () => import('./image/load.ts')),
  ls: e('Show images', () => import('./image/ls.ts')),
  prune: e('Delete images nothing uses', () => import('./image/prune.ts')),
  pull: e('Fetch an image from its registry', () => import('./image/pull.ts')),
  push: e('Send an image to its registry', () => import('./image/push.ts')),
  rm: e('Delete images', () => import('./image/rm.ts')),
  save: e('Write images into a tar file (standard output unless -o is given)', () => import('./image/save.ts')),
  tag: e('Give SOURCE_IMAGE another name, TARGET_IMAGE', () => import('./image/tag.ts')),
};

const network = {
  connect: e('Put a container on a network', () => import('./network/connect.ts')),
  create: e('Add a network', () => import('./network/create.ts')),
  disconnect: e('Take a container off a network', () => import('./network/disconnect.ts')),
  inspect: e('Show the full details of networks', () => import('./network/inspect.ts')),
  ls: e('Show networks', () => import('./network/ls.ts')),
  prune: e('Delete networks no container uses', () => import('./network/prune.ts')),
  rm: e('Delete networks', () => import('./network/rm.ts')),
};

const volume = {
  create: e('Add a volume', () => import('./volume/create.ts')),
  inspect: e('Show the details of one or more volumes', () => import('./volume/inspect.ts')),
  ls: e('Show volumes', () => import('./volume/ls.ts')),
  prune: e('Remove unused volumes', () => import('./volume/prune.ts')),
  rm: e('Delete volumes', () => import('./volume/rm.ts')),
};

const system = {
  df: e('Show how much disk Berth uses', () => import('./system/df.ts')),
  events: e('Follow what happens on the server as it happens', () => import('./system/events.ts')),
  info: e('Show details about the Berth server and host', () => import('./system/info.ts')),
  prune: e('Delete unused containers, networks, images and cache', () => import('./system/prune.ts')),
};

const context = {
  create: e('Add a context', () => import('./context/create.ts')),
  inspect: e('Show the full details of contexts', () => import('./context/inspect.ts')),
  ls: e('Show contexts', () => import('./context/ls.ts')),
  rm: e('Delete contexts', () => import('./context/rm.ts')),
  show: e('Print which context is in use', () => import('./context/show.ts')),
  use: e('Choose the context Berth commands use', () => import('./context/use.ts')),
};

const builder = {
  build: image.build,
  prune: e('Delete cached build steps', () => import('./builder/prune.ts')),
};

const registry = {
  gc: e('Remove unreferenced blobs and stale uploads from a registry root', () => import('./registry/gc.ts')),
  serve: e('Run an OCI distribution registry server', () => import('./registry/serve.ts')),
};

export interface Group {
  short: string;
  commands: Record<string, Entry>;
  /** Alternative names for subcommands (`container list` → ls). */
  aliases: Record<string, string>;
}

export const GROUPS: Record<string, Group> = {
  builder: { short: 'Work with builds and their cache', commands: builder, aliases: {} },
  container: { short: 'Work with containers', commands: container, aliases: { list: 'ls', ps: 'ls', remove: 'rm' } },
  image: { short: 'Work with images', commands: image, aliases: { list: 'ls', remove: 'rm', rmi: 'rm' } },
  network: { short: 'Work with networks', commands: network, aliases: { list: 'ls', remove: 'rm' } },
  system: { short: 'Look after Berth itself', commands: system, aliases: {} },
  volume: { short: 'Work with volumes', commands: volume, aliases: { list: 'ls', remove: 'rm' } },
  context: { short: 'Work with contexts', commands: context, aliases: { list: 'ls', remove: 'rm' } },
  registry: { short: 'Run and maintain an OCI registry server', commands: registry, aliases: {} },
};

export const TOP: Record<string, Entry> = {
  run: container.run,
  exec: container.exec,
  ps: container.ls,
  images: image.ls,
  version: e('Show the Berth client and server versions', () => import('./system/version.ts')),
  info: system.info,
  attach: container.attach,
  build: image.build,
  commit: container.commit,
  cp: container.cp,
  create: container.create,
  diff: container.diff,
  events: system.events,
  export: container.export,
  history: image.history,
  import: image.import,
  inspect: e('Show the full details of any Berth object', () => import('./inspect.ts')),
  kill: container.kill,
  load: image.load,
  logs: container.logs,
  pause: container.pause,
  port: container.port,
  rename: container.rename,
  restart: container.restart,
  rm: container.rm,
  rmi: image.rm,
  pull: image.pull,
  push: image.push,
  login: e('Sign in to a registry', () => import('./registry/login.ts')),
  logout: e('Sign out of a registry', () => import('./registry/logout.ts')),
  save: image.save,
  start: container.start,
  stats: container.stats,
  stop: container.stop,
  tag: image.tag,
  top: container.top,
  unpause: container.unpause,
  update: container.update,
  wait: container.wait,
  completion: e('Print a shell completion script for the named shell', () => import('./completion.ts')),
  compose: e('Define and run multi-container applications (Compose)', () => import('./compose/compose.ts')),
};
