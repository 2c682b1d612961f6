/**
 * What an orchestrating compose subcommand runs with: the loaded project,
 * the Engine API client, the progress display on stderr (--progress,
 * --ansi), warnings as Compose prints them, and the builder (berth build's
 * context packing and POST /build, reused) for services with `build:`.
 */
import path from 'node:path';
import type { Cli } from '../../cli.ts';
import { prepareContext } from '../../build/context-source.ts';
import { encodeRegistryConfig, sortedRecord } from '../../build/build-options.ts';
import { runBuild } from '../../build/run-build.ts';
import type { Project, ServiceConfig } from '../../../compose/load/model.ts';
import { Progress } from '../../../compose/progress.ts';
import type { ComposeEnv } from '../../../compose/state.ts';
import { loadComposeProject, printWarnings, type ComposeGlobals } from './project-flags.ts';
import { StatusError } from '../../errors.ts';
import { DryRunApi } from '../../../compose/dry-run.ts';

export interface Session {
  project: Project;
  env: ComposeEnv;
}

/** The progress mode of --progress and --ansi, checked as Compose checks them. */
export function progressMode(g: ComposeGlobals): string | undefined {
  const ansi = g.ansi;
  switch (g.progress) {
    case '':
    case 'auto':
      return ansi === 'never' ? 'plain' : ansi === 'always' ? 'tty' : undefined;
    case 'tty':
      if (ansi === 'never') throw new StatusError("can't use --progress tty while ANSI support is disabled", 1);
      return 'tty';
    case 'plain':
      if (ansi === 'always') throw new StatusError("can't use --progress plain while ANSI support is forced", 1);
      return 'plain';
    case 'quiet':
    case 'none':
      return 'quiet';
    case 'json':
      return 'json';
    default:
      throw new StatusError(`unsupported --progress value "${g.progress}"`, 1);
  }
}

export function composeEnv(cli: Cli, g: ComposeGlobals): ComposeEnv {
  const mode = progressMode(g);
  const progress = Progress.auto(cli.err, mode);
  progress.dryRun = g.dryRun;
  const warn = (w: string) => printWarnings(cli, [w], mode === 'json');
  return { api: g.dryRun ? dryRunApi(cli) : cli.api(), progress, warn };
}

/** --dry-run: one pretend client for the whole command (what it "created" stays known to it). */
let dry: { cli: Cli; api: DryRunApi } | undefined;
function dryRunApi(cli: Cli): DryRunApi {
  if (dry?.cli !== cli) dry = { cli, api: new DryRunApi(cli.api()) };
  return dry.api;
}

/** Load the project (only `services` and their dependencies when some are named) and open the API. */
export function openSession(cli: Cli, g: ComposeGlobals, services: string[] = []): Session {
  const { project } = loadComposeProject(cli, g, { services });
  return { project, env: composeEnv(cli, g) };
}

/** The project name alone (commands that work from labels when no compose file is there: down, ps, logs…). */
export function projectNameOnly(cli: Cli, g: ComposeGlobals): Project | undefined {
  try {
    return loadComposeProject(cli, g).project;
  } catch (err) {
    if (g.projectName) return { name: g.projectName, working_dir: process.cwd(), compose_files: [], environment: {}, services: {}, disabled_services: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {} };
    throw err;
  }
}

/** Build one service's image through POST /build, as `berth build` packs a context (quiet: output only on failure). */
export function composeBuilder(cli: Cli, g?: ComposeGlobals): (s: ServiceConfig, tag: string) => Promise<void> {
  return async (s, tag) => {
    // --dry-run: nothing is built; the run goes on as if the image were there.
    if (g?.dryRun) return dryRunApi(cli).markImage(tag);
    const b = s.build!;
    const context = await prepareContext({ context: b.context, file: b.dockerfile ? path.resolve(b.context, b.dockerfile) : '', stdin: cli.streams.stdin, cwd: b.context });
    const args = new Map(Object.entries(b.args ?? {}));
    // Build output goes to stderr, as Compose prints it; stdout stays the command's.
    const toStderr = Object.create(cli, { streams: { value: { ...cli.streams, stdout: cli.err } } }) as Cli;
    await runBuild(toStderr, {
      mode: 'plain',
      body: context.body,
      headers: { 'X-Registry-Config': encodeRegistryConfig(cli.config) },
      query: {
        tags: [tag, ...(b.tags ?? [])],
        dockerfile: context.dockerfile,
        remote: context.remote,
        noCache: b.no_cache,
        pull: b.pull,
        networkMode: b.network,
        extraHosts: (b.extra_hosts ?? []).map((h) => h.replace('=', ':')),
        shmSize: b.shm_size,
        target: b.target,
        buildArgs: sortedRecord(args),
        // Compose marks what it built and with which builder (its classic one here).
        labels: { ...(b.labels ?? {}), 'com.docker.compose.image.builder': 'classic' },
        cacheFrom: b.cache_from ?? [],
      },
    });
  };
}
