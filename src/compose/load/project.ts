/**
 * The loader's entry point: options as Docker Compose's global flags give
 * them, plus the process environment and a file reader, in; the canonical
 * Project and the warnings Compose would print, out. Pure apart from `io`.
 *
 * Order (Docker Compose v2's toProjectOptions): environment from the
 * process, `.env` (or --env-file), the compose files, `.env` of the
 * project directory, profiles, project name; then the model: files merged,
 * normalised, typed, profiles applied, consistency checked, selected
 * services (and their dependencies) kept, unused resources dropped.
 */
import path from 'node:path';
import { InvalidParameterError, NotFoundError } from '../../util/errors.ts';
import { checkConsistency, hasProfile } from './consistency.ts';
import { isDict } from './merge.ts';
import type { FileObjectConfig, NetworkConfig, Project, ServiceConfig, VolumeConfig } from './model.ts';
import { loadModel, type ConfigFile } from './model-loader.ts';
import { normalizeModel } from './normalize.ts';
import { activeProfiles, defaultEnvFiles, discoverFiles, projectName, readEnvFiles, type DiscoveryIO } from './project-options.ts';
import { selectServices, pruneResources } from './select.ts';
import { toServiceConfig } from './service-model.ts';
import { substitute } from './template.ts';
import { parseYamlDocuments } from './yaml-source.ts';

export interface LoadOptions {
  /** -f, in order; `-` is stdin. Relative to `cwd`. */
  files: string[];
  projectName?: string;
  projectDirectory?: string;
  envFiles: string[];
  profiles: string[];
  /** Services named on the command line: enabled whatever their profiles; only they and their dependencies are kept. */
  services?: string[];
  /** false: --no-interpolate. */
  interpolate?: boolean;
  /** true: keep networks/volumes/secrets/configs no service uses (--all-resources). */
  allResources?: boolean;
  /** false: --no-consistency (no semantic checks). */
  consistency?: boolean;
  /** The process environment. */
  env: Record<string, string | undefined>;
  cwd: string;
  io: DiscoveryIO & { stdin?: () => string };
}

export interface LoadResult {
  project: Project;
  warnings: string[];
}

function splitPaths(v: string, sep: string): string[] {
  return v.split(sep).filter(Boolean);
}

interface Loaded {
  model: Record<string, unknown>;
  name: string;
  workingDir: string;
  files: string[];
  env: Record<string, string>;
  warnings: string[];
}

/** The normalised tree of the project, untyped: what `config --no-interpolate` prints (compose-go's LoadModel). */
export function loadProjectModel(opts: LoadOptions): { model: Record<string, unknown>; warnings: string[] } {
  const { model, warnings } = loadNormalized(opts);
  return { model, warnings };
}

function loadNormalized(opts: LoadOptions): Loaded {
  const warnings: string[] = [];
  const io = opts.io;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  env['PWD'] ??= opts.cwd;
  const abs = (p: string) => path.resolve(opts.cwd, p);
  const mergeEnv = (vars: Record<string, string>) => {
    for (const [k, v] of Object.entries(vars)) env[k] ??= v;
  };
  let workingDir = opts.projectDirectory ? abs(opts.projectDirectory) : undefined;
  const firstFile = opts.files.find((f) => f !== '-');
  const envFileList = opts.envFiles.length > 0 ? opts.envFiles : env['COMPOSE_ENV_FILES'] ? env['COMPOSE_ENV_FILES'].split(',').filter(Boolean) : [];
  const envFiles = (dir: string) => (envFileList.length > 0 ? envFileList.map(abs) : defaultEnvFiles(dir, env, io));
  const initialDir = workingDir ?? (firstFile ? path.dirname(abs(firstFile)) : opts.cwd);
  mergeEnv(readEnvFiles(envFiles(initialDir), env, io));

  let files = opts.files.map((f) => (f === '-' ? f : abs(f)));
  if (files.length === 0 && env['COMPOSE_FILE']) files = splitPaths(env['COMPOSE_FILE'], env['COMPOSE_PATH_SEPARATOR'] || ':').map(abs);
  if (files.length === 0) files = discoverFiles(workingDir ?? opts.cwd, io, warnings);
  const first = files.find((f) => f !== '-');
  workingDir ??= first ? path.dirname(first) : opts.cwd;
  if (workingDir !== initialDir) mergeEnv(readEnvFiles(envFiles(workingDir), env, io));

  const configs: ConfigFile[] = files.map((f) => {
    if (f === '-') return { filename: '-', content: io.stdin?.() ?? '' };
    const content = io.readFile(f);
    if (content === undefined) throw new NotFoundError(`open ${f}: no such file or directory`);
    return { filename: f, content };
  });
  const interpolate = opts.interpolate !== false;
  let nameInFiles: string | undefined;
  for (const c of configs) {
    for (const doc of parseYamlDocuments(c.content, c.filename)) {
      const n = isDict(doc.value) ? doc.value['name'] : undefined;
      if (typeof n === 'string' && n !== '') nameInFiles = interpolate ? substitute(n, (k) => env[k]) : n;
    }
  }
  const name = projectName({ flag: opts.projectName, env, fromFiles: nameInFiles, workingDir });
  env['COMPOSE_PROJECT_NAME'] = name;

  const home = env['HOME'];
  const dict = loadModel(configs, { workingDir, env, home, interpolate, warnings, io });
  if (Object.keys(dict).length === 0) throw new InvalidParameterError('empty compose file');
  const model = normalizeModel(dict, { projectName: name, workingDir, home });
  return { model, name, workingDir, files, env, warnings };
}

export function loadProject(opts: LoadOptions): LoadResult {
  const { model, name, workingDir, files, env, warnings } = loadNormalized(opts);
  const io = opts.io;
  const all: Record<string, ServiceConfig> = {};
  for (const [n, s] of Object.entries(model['services'] as Record<string, Record<string, unknown>>)) {
    all[n] = toServiceConfig(n, s, { env, readFile: (p) => io.readFile(p) });
  }
  const extensions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(model)) if (k.startsWith('x-')) extensions[k] = v;
  let project: Project = {
    name,
    working_dir: workingDir,
    compose_files: files,
    environment: env,
    services: {},
    disabled_services: {},
    networks: (model['networks'] ?? {}) as Record<string, NetworkConfig>,
    volumes: (model['volumes'] ?? {}) as Record<string, VolumeConfig>,
    secrets: (model['secrets'] ?? {}) as Record<string, FileObjectConfig>,
    configs: (model['configs'] ?? {}) as Record<string, FileObjectConfig>,
    extensions,
  };
  const profiles = [...activeProfiles(opts.profiles, env)];
  for (const n of opts.services ?? []) {
    if (all[n] && !hasProfile(all[n].profiles, profiles)) profiles.push(...(all[n].profiles ?? []));
  }
  for (const [n, s] of Object.entries(all)) {
    if (hasProfile(s.profiles, profiles)) project.services[n] = s;
    else project.disabled_services[n] = s;
  }
  if (opts.consistency !== false) checkConsistency(project);
  if (opts.services && opts.services.length > 0) project = selectServices(project, opts.services);
  if (!opts.allResources) project = pruneResources(project);
  return { project, warnings };
}
