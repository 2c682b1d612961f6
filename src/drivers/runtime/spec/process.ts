/**
 * The container's command line, environment and working directory, merged
 * from the image config and the container config exactly as Docker does.
 */
import path from 'node:path';
import { InvalidParameterError } from '../../../util/errors.ts';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * moby `daemon/commit.go merge` + `getEntrypointAndArgs`: a container
 * Entrypoint (even `[""]`, i.e. `--entrypoint ""`) replaces the image's and
 * drops the image's Cmd; otherwise an empty container Cmd takes the image's.
 */
export function mergeCommand(
  container: { Entrypoint?: string[] | null; Cmd?: string[] | null },
  image: { Entrypoint?: string[] | null; Cmd?: string[] | null },
): string[] {
  let entrypoint = container.Entrypoint ?? null;
  let cmd = container.Cmd ?? null;
  if (entrypoint === null || entrypoint.length === 0) {
    if (cmd === null || cmd.length === 0) cmd = image.Cmd ?? null;
    if (entrypoint === null) entrypoint = image.Entrypoint ?? null;
  }
  // `--entrypoint ""` arrives as [""]: an explicitly empty entrypoint.
  if (entrypoint !== null && entrypoint.length === 1 && entrypoint[0] === '') entrypoint = [];
  const args = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (args.length === 0) throw new InvalidParameterError('No command specified');
  return args;
}

function envKey(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
}

/** moby `ReplaceOrAppendEnvValues`: later entries replace earlier ones with the same key, in place. */
export function replaceOrAppendEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  const index = new Map<string, number>();
  out.forEach((e, i) => index.set(envKey(e), i));
  for (const e of overrides) {
    const key = envKey(e);
    // A bare `KEY` (no `=`) means "unset" for Docker.
    if (!e.includes('=')) {
      const i = index.get(key);
      if (i !== undefined) out[i] = '';
      continue;
    }
    const i = index.get(key);
    if (i !== undefined) out[i] = e;
    else {
      index.set(key, out.length);
      out.push(e);
    }
  }
  return out.filter((e) => e !== '');
}

/**
 * moby `CreateDaemonEnvironment`: PATH, HOSTNAME, TERM (with a TTY), then the
 * image's env overridden by the container's; HOME from passwd when unset
 * (runc would otherwise do the same at exec).
 */
export function buildEnv(opts: { imageEnv?: string[] | null; containerEnv?: string[] | null; hostname: string; tty: boolean; home: string }): string[] {
  const base = [`PATH=${DEFAULT_PATH}`, `HOSTNAME=${opts.hostname}`];
  if (opts.tty) base.push('TERM=xterm');
  const merged = replaceOrAppendEnv(opts.imageEnv ?? [], opts.containerEnv ?? []);
  const env = replaceOrAppendEnv(base, merged);
  if (!env.some((e) => envKey(e) === 'HOME')) env.push(`HOME=${opts.home}`);
  return env;
}

/** Container WorkingDir, else the image's, else `/`; must be absolute (Docker's check). */
export function resolveWorkingDir(container: string | undefined, image: string | undefined): string {
  const dir = container || image || '/';
  if (!dir.startsWith('/')) throw new InvalidParameterError(`the working directory '${dir}' is invalid, it needs to be an absolute path`);
  const clean = path.posix.normalize(dir);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}
