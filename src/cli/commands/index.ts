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
  attach: e('Attach local standard input, output, and error streams to a running container', () => import('./container/attach.ts')),
  commit: e("Create a new image from a container's changes", () => import('./container/commit.ts')),
  cp: e('Copy files/folders between a container and the local filesystem', () => import('./container/cp.ts')),
  create: e('Create a new container', () => import('./container/create.ts')),
  diff: e("Inspect changes to files or directories on a container's filesystem", () => import('./container/diff.ts')),
  exec: e('Execute a command in a running container', () => import('./container/exec.ts')),
  export: e("Export a container's filesystem as a tar archive", () => import('./container/export.ts')),
  inspect: e('Display detailed information on one or more containers', () => import('./container/inspect.ts')),
  kill: e('Kill one or more running containers', () => import('./container/kill.ts')),
  logs: e('Fetch the logs of a container', () => import('./container/logs.ts')),
  ls: e('List containers', () => import('./container/ls.ts')),
  pause: e('Pause all processes within one or more containers', () => import('./container/pause.ts')),
  port: e('List port mappings or a specific mapping for the container', () => import('./container/port.ts')),
  prune: e('Remove all stopped containers', () => import('./container/prune.ts')),
  rename: e('Rename a container', () => import('./container/rename.ts')),
  restart: e('Restart one or more containers', () => import('./container/restart.ts')),
  rm: e('Remove one or more containers', () => import('./container/rm.ts')),
  run: e('Create and run a new container from an image', () => import('./container/run.ts')),
  start: e('Start one or more stopped containers', () => import('./container/start.ts')),
  stats: e("Display a live stream of container(s) resource usage statistics", () => import('./container/stats.ts')),
  stop: e('Stop one or more running containers', () => import('./container/stop.ts')),
  top: e('Display the running processes of a container', () => import('./container/top.ts')),
  unpause: e('Unpause all processes within one or more containers', () => import('./container/unpause.ts')),
  update: e('Update configuration of one or more containers', () => import('./container/update.ts')),
  wait: e('Block until one or more containers stop, then print their exit codes', () => import('./container/wait.ts')),
};

const image = {
  build: e('Build an image from a Dockerfile', () => import('./image/build.ts')),
  bootstrap: e('Build an image without a registry (busybox from the host, debian[:SUITE[-slim]] with mmdebstrap)', () => import('./image/bootstrap.ts')),
  history: e('Show the history of an image', () => import('./image/history.ts')),
  import: e('Import the contents from a tarball to create a filesystem image', () => import('./image/import.ts')),
  inspect: e('Display detailed information on one or more images', () => import('./image/inspect.ts')),
  load: e('Load an image from a tar archive or STDIN', () => import('./image/load.ts')),
  ls: e('List images', () => import('./image/ls.ts')),
  prune: e('Remove unused images', () => import('./image/prune.ts')),
  pull: e('Download an image from a registry', () => import('./image/pull.ts')),
  push: e('Upload an image to a registry', () => import('./image/push.ts')),
  rm: e('Remove one or more images', () => import('./image/rm.ts')),
  save: e('Save one or more images to a tar archive (streamed to STDOUT by default)', () => import('./image/save.ts')),
  tag: e('Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', () => import('./image/tag.ts')),
};

const network = {
  connect: e('Connect a container to a network', () => import('./network/connect.ts')),
  create: e('Create a network', () => import('./network/create.ts')),
  disconnect: e('Disconnect a container from a network', () => import('./network/disconnect.ts')),
  inspect: e('Display detailed information on one or more networks', () => import('./network/inspect.ts')),
  ls: e('List networks', () => import('./network/ls.ts')),
  prune: e('Remove all unused networks', () => import('./network/prune.ts')),
  rm: e('Remove one or more networks', () => import('./network/rm.ts')),
};

const volume = {
  create: e('Create a volume', () => import('./volume/create.ts')),
  inspect: e('Show the details of one or more volumes', () => import('./volume/inspect.ts')),
  ls: e('List volumes', () => import('./volume/ls.ts')),
  prune: e('Remove unused volumes', () => import('./volume/prune.ts')),
  rm: e('Remove one or more volumes', () => import('./volume/rm.ts')),
};

const system = {
  df: e('Show docker disk usage', () => import('./system/df.ts')),
  events: e('Get real time events from the server', () => import('./system/events.ts')),
  info: e('Display system-wide information', () => import('./system/info.ts')),
  prune: e('Remove unused data', () => import('./system/prune.ts')),
};

const context = {
  create: e('Create a context', () => import('./context/create.ts')),
  inspect: e('Display detailed information on one or more contexts', () => import('./context/inspect.ts')),
  ls: e('List contexts', () => import('./context/ls.ts')),
  rm: e('Remove one or more contexts', () => import('./context/rm.ts')),
  show: e('Print the name of the current context', () => import('./context/show.ts')),
  use: e('Set the current docker context', () => import('./context/use.ts')),
};

const builder = {
  build: image.build,
  prune: e('Remove build cache', () => import('./builder/prune.ts')),
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
  builder: { short: 'Manage builds', commands: builder, aliases: {} },
  container: { short: 'Manage containers', commands: container, aliases: { list: 'ls', ps: 'ls', remove: 'rm' } },
  image: { short: 'Manage images', commands: image, aliases: { list: 'ls', remove: 'rm', rmi: 'rm' } },
  network: { short: 'Manage networks', commands: network, aliases: { list: 'ls', remove: 'rm' } },
  system: { short: 'Manage Docker', commands: system, aliases: {} },
  volume: { short: 'Manage volumes', commands: volume, aliases: { list: 'ls', remove: 'rm' } },
  context: { short: 'Manage contexts', commands: context, aliases: { list: 'ls', remove: 'rm' } },
  registry: { short: 'Run and maintain an OCI registry server', commands: registry, aliases: {} },
};

export const TOP: Record<string, Entry> = {
  run: container.run,
  exec: container.exec,
  ps: container.ls,
  images: image.ls,
  version: e('Show the Docker version information', () => import('./system/version.ts')),
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
  inspect: e('Return low-level information on Docker objects', () => import('./inspect.ts')),
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
  login: e('Authenticate to a registry', () => import('./registry/login.ts')),
  logout: e('Log out from a registry', () => import('./registry/logout.ts')),
  save: image.save,
  start: container.start,
  stats: container.stats,
  stop: container.stop,
  tag: image.tag,
  top: container.top,
  unpause: container.unpause,
  update: container.update,
  wait: container.wait,
  completion: e('Generate the autocompletion script for the specified shell', () => import('./completion.ts')),
  compose: e('Docker Compose', () => import('./compose/compose.ts')),
};
