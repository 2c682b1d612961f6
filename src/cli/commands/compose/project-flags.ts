/**
 * Docker Compose's global flags (`docker compose [OPTIONS] COMMAND`), the
 * context every compose subcommand runs in, and the glue from them to the
 * loader: options, the real filesystem, stdin, and warnings printed as
 * Compose's logrus prints them.
 */
import { readFileSync } from 'node:fs';
import type { FlagSpec, Flags } from '../../flags.ts';
import type { Cli } from '../../cli.ts';
import type { CommandContext } from '../../command.ts';
import { loadProject, loadProjectModel, type LoadOptions, type LoadResult } from '../../../compose/load/project.ts';
import { nodeIO } from '../../../compose/load/node-io.ts';

export const COMPOSE_FLAGS: FlagSpec[] = [
  { long: 'all-resources', type: 'bool', usage: 'Keep resources no service uses' },
  { long: 'ansi', type: 'string', usage: 'When to use ANSI escape codes ("never"|"always"|"auto")', def: 'auto' },
  { long: 'compatibility', type: 'bool', usage: 'Behave like Compose v1 where the two differ' },
  { long: 'dry-run', type: 'bool', usage: 'Show what would be done without doing it' },
  { long: 'env-file', type: 'list', typeName: 'stringArray', usage: 'Read variables from this file instead of .env' },
  { long: 'file', short: 'f', type: 'list', typeName: 'stringArray', usage: 'Compose file to load (repeatable)' },
  { long: 'parallel', type: 'int', usage: 'How many operations may run at once (-1: no limit)', def: -1 },
  { long: 'profile', type: 'list', typeName: 'stringArray', usage: 'Turn on the services of this profile' },
  { long: 'progress', type: 'string', usage: 'How to show progress (auto, tty, plain, json, quiet)' },
  { long: 'project-directory', type: 'string', usage: "Directory relative paths start from\n(the first Compose file's directory by default)" },
  { long: 'project-name', short: 'p', type: 'string', usage: 'Name of the project' },
  { long: 'workdir', type: 'string', usage: 'Old name of --project-directory', hidden: true },
  { long: 'version', short: 'v', type: 'bool', usage: 'Show the Compose version', hidden: true },
  { long: 'verbose', type: 'bool', usage: 'Print more detail', hidden: true },
  { long: 'no-ansi', type: 'bool', usage: 'Old form of --ansi never', hidden: true },
];

export interface ComposeGlobals {
  files: string[];
  projectName: string;
  projectDirectory: string;
  profiles: string[];
  envFiles: string[];
  allResources: boolean;
  progress: string;
  ansi: string;
  dryRun: boolean;
}

export function composeGlobals(flags: Flags): ComposeGlobals {
  return {
    files: flags.list('file'),
    projectName: flags.str('project-name'),
    projectDirectory: flags.str('project-directory') || flags.str('workdir'),
    profiles: flags.list('profile'),
    envFiles: flags.list('env-file'),
    allResources: flags.bool('all-resources'),
    progress: flags.str('progress'),
    ansi: flags.bool('no-ansi') ? 'never' : flags.str('ansi'),
    dryRun: flags.bool('dry-run'),
  };
}

export interface ComposeContext extends CommandContext {
  compose: ComposeGlobals;
}

function loadOptions(cli: Cli, g: ComposeGlobals, extra: Partial<LoadOptions>): LoadOptions {
  return {
    files: g.files,
    projectName: g.projectName || undefined,
    projectDirectory: g.projectDirectory || undefined,
    envFiles: g.envFiles,
    profiles: g.profiles,
    allResources: g.allResources,
    env: cli.env,
    cwd: process.cwd(),
    io: nodeIO(() => readFileSync(0, 'utf8')),
    ...extra,
  };
}

/** Load the project the global flags name, printing the loader's warnings on stderr. */
export function loadComposeProject(cli: Cli, g: ComposeGlobals, extra: Partial<LoadOptions> = {}): LoadResult {
  const result = loadProject(loadOptions(cli, g, extra));
  printWarnings(cli, result.warnings, g.progress === 'json');
  return result;
}

/** The untyped, normalised model (`config --no-interpolate`), warnings printed. */
export function loadComposeModel(cli: Cli, g: ComposeGlobals, extra: Partial<LoadOptions> = {}): Record<string, unknown> {
  const result = loadProjectModel(loadOptions(cli, g, extra));
  printWarnings(cli, result.warnings, g.progress === 'json');
  return result.model;
}

/**
 * logrus's TextFormatter as Docker Compose leaves it: `WARN[0000] msg` (padded to 44) on a terminal,
 * key=value otherwise; with --progress json its JSONFormatter (`{"level":"warning","msg":…,"time":…}`).
 */
export function printWarnings(cli: Cli, warnings: string[], json = false): void {
  for (const w of warnings) {
    if (json) {
      cli.err.write(`${JSON.stringify({ level: 'warning', msg: w, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z') })}\n`);
      continue;
    }
    if (cli.err.isTTY) cli.err.write(`\x1b[33mWARN\x1b[0m[0000] ${w.padEnd(44)} \n`);
    else cli.err.write(`time="${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}" level=warning msg=${JSON.stringify(w)}\n`);
  }
}
