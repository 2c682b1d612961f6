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

export interface Session {
  project: Project;
  env: ComposeEnv;
}

export function composeEnv(cli: Cli, g: ComposeGlobals): ComposeEnv {
  const mode = g.ansi === 'never' && g.progress === '' ? 'plain' : g.progress || undefined;
  return { api: cli.api(), progress: Progress.auto(cli.err, mode), warn: (w) => printWarnings(cli, [w]) };
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
export function composeBuilder(cli: Cli): (s: ServiceConfig, tag: string) => Promise<void> {
  return async (s, tag) => {
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
