/**
 * `compose watch` (and `up --watch`): the services' develop.watch rules
 * applied to file changes, as Docker Compose v2 does (pkg/compose/watch.go).
 *
 * Lifecycle: startWatch reads every selected service's rules (errors
 * before anything is watched), runs the initial syncs asked for, starts
 * the file watchers and logs "Watch enabled". Changed host paths are
 * gathered until no change came for 500 ms (Compose's quiet period), then
 * handled as one batch, batches one after the other: rebuild (build the
 * image, recreate and start the services' containers), then sync (tar into
 * the containers, `rm -rf` for deletions), then restart, then the exec
 * hooks. A failing batch is a warning; watching goes on. stop() (or the
 * signal) closes the watchers and waits for the batch in hand.
 * The file watching and the batching are watch-files.ts's.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { containerRestart } from '../client/containers.ts';
import { imageInspect, imageList, imageRemove } from '../client/images.ts';
import type { Project } from './load/model.ts';
import { converge, startServices } from './converge.ts';
import { PROJECT_LABEL } from './labels.ts';
import { ensureImages, type ImageOptions } from './resources.ts';
import { byService, forAll, nameOf, projectContainers, type ComposeEnv } from './state.ts';
import { Batcher, watchPath, type PathWatch } from './watch-files.ts';
import { execIn, syncService } from './watch-sync.ts';
import { AbsoluteMatcher, boundByVolume, formatServiceList, isSyncAction, matchRule, serviceWatchRules, type PathMapping, type RuleIO, type WatchRule } from './watch-rules.ts';

export interface WatchOptions {
  /** The services named on the command line (none: all). */
  services: string[];
  /** Compose's watch log lines ("Watch enabled", "Syncing service …"). */
  log: (line: string) => void;
  /** Output of the sync+exec hooks. */
  execOutput?: (stream: number, data: Buffer) => void;
  /** How images are built (the CLI's builder); absent with --no-build. */
  build?: Pick<ImageOptions, 'builder'>;
  /** --prune: remove the project's dangling images after a rebuild. */
  prune?: boolean;
  io?: RuleIO;
}

export interface Watch {
  /** Settles when the watch ends (stop, or a watcher failed). */
  done: Promise<void>;
  stop(): Promise<void>;
}

const NODE_IO: RuleIO = {
  readText: (f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return undefined; // absent: no ignore file
    }
  },
  realpath: (p) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined; // not there (yet): the path as written
    }
  },
};

/** Every selected service's rules; Compose's error when none has any. */
export function watchRules(project: Project, opts: Pick<WatchOptions, 'services' | 'build' | 'io'>): WatchRule[] {
  const rules: WatchRule[] = [];
  const names = opts.services.length ? opts.services : Object.keys(project.services);
  for (const name of names) {
    const s = project.services[name];
    if (!s) continue;
    const own = serviceWatchRules(project, s, opts.io ?? NODE_IO);
    if (!own) continue;
    if (!opts.build && own.some((r) => r.action === 'rebuild')) throw new WatchConfigError(`--no-build is incompatible with watch action rebuild in service ${name}`);
    rules.push(...own);
  }
  return rules;
}

export class WatchConfigError extends Error {}

export async function startWatch(env: ComposeEnv, project: Project, opts: WatchOptions): Promise<Watch> {
  const rules = watchRules(project, opts);
  const paths: string[] = [];
  for (const r of rules) {
    const s = project.services[r.service]!;
    if (isSyncAction(r.action) && boundByVolume(s, r.path)) {
      env.warn(`path '${r.path}' also declared by a bind mount volume, this path won't be monitored!\n`);
      continue;
    }
    if (r.initialSync && isSyncAction(r.action)) await initialSync(env, project, r);
    paths.push(r.path);
  }
  if (paths.length === 0) throw new WatchConfigError("none of the selected services is configured for watch, consider setting a 'develop' section");

  let chain = Promise.resolve();
  let stopped = false;
  let fail: (err: Error) => void = () => undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // A caller may never wait on `done` (up --watch): its failure is logged, not an unhandled rejection.
  done.catch(() => undefined);
  let watches: PathWatch[] = [];
  // Batches are handled one after the other, each failure a warning.
  const batcher = new Batcher((batch) => {
    chain = chain.then(() =>
      handleBatch(env, project, rules, batch, opts).catch((err: unknown) => {
        env.warn(`Error handling changed files: ${err instanceof Error ? err.message : String(err)}`);
      }),
    );
  });
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    batcher.close();
    for (const w of watches) w.close();
    await chain;
    finish();
  };
  const onFailure = (err: Error) => {
    opts.log(`Watch disabled with errors: ${err.message}`);
    void stop().then(() => fail(err));
  };
  watches = [...new Set(paths)].sort().map((p) => watchPath(p, (changed) => batcher.add(changed), onFailure));
  opts.log('Watch enabled');
  return { done, stop };
}

/** One batch of changed paths: what each rule asks for, in Compose's order. */
async function handleBatch(env: ComposeEnv, project: Project, rules: WatchRule[], batch: string[], opts: WatchOptions): Promise<void> {
  const rebuild = new Set<string>();
  const restart = new Set<string>();
  const sync = new Map<string, PathMapping[]>();
  const exec = new Map<string, Set<number>>();
  for (const hostPath of batch) {
    rules.forEach((rule, i) => {
      const mapping = matchRule(rule, hostPath);
      if (!mapping) return;
      const add = () => sync.set(rule.service, [...(sync.get(rule.service) ?? []), mapping]);
      if (rule.action === 'rebuild') rebuild.add(rule.service);
      else if (rule.action === 'restart') restart.add(rule.service);
      else if (rule.action === 'sync') add();
      else if (rule.action === 'sync+restart') {
        add();
        restart.add(rule.service);
      } else {
        add();
        exec.set(rule.service, (exec.get(rule.service) ?? new Set()).add(i));
      }
    });
  }
  if (rebuild.size) await rebuildServices(env, project, [...rebuild].sort(), opts);
  for (const [service, mappings] of [...sync].sort(([a], [b]) => a.localeCompare(b))) {
    opts.log(`Syncing service ${JSON.stringify(service)} after ${mappings.length} changes were detected`);
    await syncService(env.api, project.name, service, mappings);
  }
  if (restart.size) {
    const services = [...restart].sort();
    const containers = byService(await projectContainers(env.api, project.name));
    await forAll(
      services.flatMap((s) => containers.get(s) ?? []),
      async (c) => {
        const id = `Container ${nameOf(c)}`;
        env.progress.event(id, 'Restarting');
        await containerRestart(env.api, c.Id, {});
        env.progress.event(id, 'Started');
      },
    );
    opts.log(`service(s) ${formatServiceList(services)} restarted`);
  }
  for (const [service, indexes] of exec) {
    const running = (byService(await projectContainers(env.api, project.name, { all: false })).get(service) ?? []);
    for (const i of [...indexes].sort((a, b) => a - b)) {
      const hook = rules[i]!.exec!;
      await forAll(running, async (c) => {
        const r = await execIn(env.api, c.Id, { Cmd: hook.command, User: hook.user, Privileged: hook.privileged, WorkingDir: hook.working_dir, Env: hook.environment }, opts.execOutput, true);
        if (r.exitCode !== 0) throw new WatchConfigError(`exit status ${r.exitCode}`);
      });
    }
  }
}

/** Build the services' images, recreate their containers and start them (Compose's rebuild). */
async function rebuildServices(env: ComposeEnv, project: Project, services: string[], opts: WatchOptions): Promise<void> {
  const list = formatServiceList(services);
  opts.log(`Rebuilding service(s) ${list} after changes were detected...`);
  let imageIds: Map<string, string>;
  try {
    imageIds = await ensureImages(env, project, services, { build: true, builder: opts.build?.builder });
  } catch (err) {
    opts.log(`Build failed. Error: ${(err as Error).message}`);
    throw err;
  }
  if (opts.prune) await pruneDangling(env, project, new Set(imageIds.values()));
  opts.log(`service(s) ${list} successfully built`);
  let recreated: Set<string>;
  try {
    recreated = await converge(env, project, { services, imageIds, forceRecreate: true });
  } catch (err) {
    opts.log(`Failed to recreate services after update. Error: ${(err as Error).message}`);
    throw err;
  }
  try {
    await startServices(env, project, { services, recreated });
  } catch (err) {
    opts.log(`Application failed to start after update. Error: ${(err as Error).message}`);
  }
}

async function pruneDangling(env: ComposeEnv, project: Project, keep: Set<string>): Promise<void> {
  const filters = JSON.stringify({ dangling: ['true'], label: [`${PROJECT_LABEL}=${project.name}`] });
  const images = await imageList(env.api, { filters }).catch(() => []);
  for (const img of images) {
    if (keep.has(img.Id)) continue;
    await imageRemove(env.api, img.Id, {}).catch(() => undefined); // in use or gone: Compose only logs it at debug level
  }
}

/**
 * initial_sync: the files under a sync rule's path changed since the
 * service's image was created are copied before watching starts (not the
 * ignored ones, Dockerfiles, compose files, nor what a bind mount shows).
 */
async function initialSync(env: ComposeEnv, project: Project, rule: WatchRule): Promise<void> {
  const s = project.services[rule.service]!;
  const containers = byService(await projectContainers(env.api, project.name)).get(rule.service) ?? [];
  if (containers.length === 0) throw new WatchConfigError("Could not get created time for service's image");
  const image = await imageInspect(env.api, containers[0]!.ImageID || containers[0]!.Image);
  const created = Date.parse(String(image['Created']));
  const skip = new AbsoluteMatcher('/', ['Dockerfile', '*compose*.y*ml']);
  const ignored = (p: string) => skip.matches(`/${path.basename(p)}`) || rule.ignore.some((m) => m.matches(p)) || boundByVolume(s, p);
  const mappings: PathMapping[] = [];
  const visit = async (p: string): Promise<void> => {
    const st = await stat(p).catch(() => undefined);
    if (!st) return;
    if (p !== rule.path && ignored(p)) return;
    if (st.isDirectory()) {
      for (const n of await readdir(p)) await visit(path.join(p, n));
      return;
    }
    if (st.mtimeMs < created) return;
    mappings.push({ hostPath: p, containerPath: p === rule.path ? rule.target : path.posix.join(rule.target, path.relative(rule.path, p).split(path.sep).join('/')) });
  };
  await visit(rule.path);
  if (mappings.length) await syncService(env.api, project.name, rule.service, mappings);
}
