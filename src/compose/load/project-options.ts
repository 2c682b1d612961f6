/**
 * What `docker compose` settles before reading any model (compose-go's
 * cli/options.go as Docker Compose v2 applies it): the project directory,
 * the compose files (`-f`, COMPOSE_FILE, else compose.yaml & co. searched
 * upwards, with an override file beside), the interpolation environment
 * (process environment, then `.env` or `--env-file`s, the process winning),
 * the active profiles and the project name rules.
 */
import path from 'node:path';
import { InvalidParameterError, NotFoundError } from '../../util/errors.ts';
import { parseDotenv } from './dotenv.ts';

export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
export const DEFAULT_OVERRIDE_FILE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

export interface DiscoveryIO {
  /** 'file', 'dir', or undefined when nothing is there. */
  kind(path: string): 'file' | 'dir' | undefined;
  readFile(path: string): string | undefined;
}

/** compose.yaml & co. in `dir` or its nearest parent that has one; plus the override file found beside it. */
export function discoverFiles(dir: string, io: DiscoveryIO, warnings: string[]): string[] {
  for (let d = dir; ; ) {
    const found = DEFAULT_FILE_NAMES.map((n) => path.join(d, n)).filter((f) => io.kind(f) !== undefined);
    if (found.length > 0) {
      const files = [found[0] as string];
      if (found.length > 1) warnings.push(`Found multiple config files with supported names: ${found.join(', ')}`, `Using ${found[0]}`);
      const overrides = DEFAULT_OVERRIDE_FILE_NAMES.map((n) => path.join(d, n)).filter((f) => io.kind(f) !== undefined);
      if (overrides.length > 1) warnings.push(`Found multiple override files with supported names: ${overrides.join(', ')}`, `Using ${overrides[0]}`);
      if (overrides.length > 0) files.push(overrides[0] as string);
      return files;
    }
    const parent = path.dirname(d);
    if (parent === d) throw new NotFoundError('no configuration file provided: not found');
    d = parent;
  }
}

/** Variables of env files in order (compose-go's GetEnvFromFile): `current` answers lookups first. */
export function readEnvFiles(files: string[], current: Record<string, string>, io: DiscoveryIO): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) {
    const kind = io.kind(f);
    if (kind === undefined) throw new NotFoundError(`couldn't find env file: ${f}`);
    if (kind === 'dir') throw new InvalidParameterError(`${f} is a directory`);
    const text = io.readFile(f) ?? '';
    try {
      Object.assign(out, parseDotenv(text, { lookup: (k) => current[k] ?? out[k] }));
    } catch (err) {
      throw new InvalidParameterError(`failed to read ${f}: ${(err as Error).message}`, { cause: err });
    }
  }
  return out;
}

/** The default `.env` of a directory, unless COMPOSE_DISABLE_ENV_FILE is true. */
export function defaultEnvFiles(dir: string, env: Record<string, string>, io: DiscoveryIO): string[] {
  const disable = env['COMPOSE_DISABLE_ENV_FILE'];
  if (disable !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(disable)) return [];
  const f = path.join(dir, '.env');
  return io.kind(f) === 'file' ? [f] : [];
}

/** compose-go's NormalizeProjectName: lowercase, keep [a-z0-9_-], no leading _ or -. */
export function normalizeProjectName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

export function invalidProjectName(v: string): InvalidParameterError {
  return new InvalidParameterError(
    `invalid project name ${JSON.stringify(v)}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
  );
}

export interface NameSources {
  flag?: string;
  env: Record<string, string>;
  /** `name:` from the files (last one set), already interpolated. */
  fromFiles?: string;
  workingDir: string;
}

/** -p, then COMPOSE_PROJECT_NAME, then `name:`, then the directory's base name (normalised). */
export function projectName(src: NameSources): string {
  const explicit = src.flag || src.env['COMPOSE_PROJECT_NAME'] || src.fromFiles;
  if (explicit) {
    if (normalizeProjectName(explicit) !== explicit) throw invalidProjectName(explicit);
    return explicit;
  }
  const name = normalizeProjectName(path.basename(src.workingDir));
  if (!name) throw new InvalidParameterError('project name must not be empty');
  return name;
}

/** --profile values, else COMPOSE_PROFILES (comma-separated). */
export function activeProfiles(flag: string[], env: Record<string, string>): string[] {
  if (flag.length > 0) return flag;
  const v = env['COMPOSE_PROFILES'];
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}
