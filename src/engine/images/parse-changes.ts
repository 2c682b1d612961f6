/**
 * `--change` instructions of `docker import` / `docker commit`: the Dockerfile
 * instructions CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME,
 * WORKDIR and STOPSIGNAL, applied to an image config. Pure.
 */
import type { ImageRunConfig } from '../../oci/image.ts';
import { InvalidParameterError } from '../../util/errors.ts';

const VALID = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL']);

function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function unquote(s: string): string {
  return s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s;
}

/** Split `k=v k2="v 2"` into pairs; the legacy `KEY value` form when there is no `=`. */
function keyValues(instruction: string, rest: string): [string, string][] {
  const words = rest.match(/(?:[^\s"']+|"(?:\\.|[^"])*"|'[^']*')+/g) ?? [];
  if (words.length === 0) throw new InvalidParameterError(`${instruction} requires at least one argument`);
  if (!words[0]!.includes('=')) {
    const space = rest.search(/\s/);
    if (space === -1) throw new InvalidParameterError(`${instruction} must have two arguments`);
    return [[rest.slice(0, space), rest.slice(space).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new InvalidParameterError(`${instruction} names can not be blank`);
    return [unquote(w.slice(0, eq)), unquote(w.slice(eq + 1))];
  });
}

export function applyChanges(base: ImageRunConfig, changes: readonly string[]): ImageRunConfig {
  const c: ImageRunConfig = { ...base };
  for (const raw of changes) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\S+)\s*(.*)$/s.exec(line)!;
    const instruction = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (!VALID.has(instruction)) throw new InvalidParameterError(`${instruction.toLowerCase()} is not a valid change command`);
    switch (instruction) {
      case 'CMD':
      case 'ENTRYPOINT': {
        const args = jsonArray(rest) ?? ['/bin/sh', '-c', rest];
        if (instruction === 'CMD') c.Cmd = args;
        else {
          c.Entrypoint = args;
          if (!base.Cmd || base.Cmd === c.Cmd) c.Cmd = null; // a new ENTRYPOINT resets an inherited CMD, as in a build
        }
        break;
      }
      case 'ENV': {
        const env = [...(c.Env ?? [])];
        for (const [k, v] of keyValues('ENV', rest)) {
          const i = env.findIndex((e) => e.split('=', 1)[0] === k);
          if (i === -1) env.push(`${k}=${v}`);
          else env[i] = `${k}=${v}`;
        }
        c.Env = env;
        break;
      }
      case 'LABEL':
        c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(keyValues('LABEL', rest)) };
        break;
      case 'EXPOSE': {
        const ports = { ...(c.ExposedPorts ?? {}) };
        for (const p of rest.split(/\s+/).filter(Boolean)) {
          if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(p)) throw new InvalidParameterError(`invalid containerPort: ${p}`);
          ports[p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
        }
        c.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const vols = { ...(c.Volumes ?? {}) };
        for (const v of jsonArray(rest) ?? rest.split(/\s+/).filter(Boolean)) vols[v] = {};
        c.Volumes = vols;
        break;
      }
      case 'ONBUILD':
        c.OnBuild = [...(c.OnBuild ?? []), rest];
        break;
      case 'USER':
        c.User = rest;
        break;
      case 'WORKDIR':
        c.WorkingDir = rest.startsWith('/') ? rest : `${c.WorkingDir || '/'}/${rest}`.replace(/\/+/g, '/');
        break;
      case 'STOPSIGNAL':
        c.StopSignal = rest;
        break;
    }
  }
  return c;
}

/**
 * A commit's image config as dockerd makes it (moby `daemon/commit.go`
 * merge): the request's config with its changes applied, every part it
 * leaves unset taken from the container's config. An empty CMD or
 * ENTRYPOINT therefore does not clear the container's.
 */
export function mergeCommitConfig(user: ImageRunConfig, container: ImageRunConfig): ImageRunConfig {
  const out: ImageRunConfig = { ...container, ...user };
  out.User = user.User || container.User || '';
  if (!user.ExposedPorts || Object.keys(user.ExposedPorts).length === 0) out.ExposedPorts = container.ExposedPorts ?? null;
  else out.ExposedPorts = { ...(container.ExposedPorts ?? {}), ...user.ExposedPorts };
  if (!user.Env || user.Env.length === 0) out.Env = container.Env ?? null;
  else {
    const keys = new Set(user.Env.map((e) => e.split('=', 1)[0]));
    out.Env = [...user.Env, ...(container.Env ?? []).filter((e) => !keys.has(e.split('=', 1)[0]))];
  }
  out.Labels = { ...(container.Labels ?? {}), ...(user.Labels ?? {}) };
  out.Cmd = user.Cmd ?? null;
  out.Entrypoint = user.Entrypoint ?? null;
  if (!user.Entrypoint || user.Entrypoint.length === 0) {
    if (!user.Cmd || user.Cmd.length === 0) {
      out.Cmd = container.Cmd ?? null;
      if (container.ArgsEscaped !== undefined) out.ArgsEscaped = container.ArgsEscaped;
    }
    if (!user.Entrypoint || user.Entrypoint.length === 0) out.Entrypoint = container.Entrypoint ?? null;
  }
  out.WorkingDir = user.WorkingDir || container.WorkingDir || '';
  if (!user.Volumes || Object.keys(user.Volumes).length === 0) out.Volumes = container.Volumes ?? null;
  else out.Volumes = { ...user.Volumes, ...(container.Volumes ?? {}) };
  out.StopSignal = user.StopSignal || container.StopSignal;
  if (!out.StopSignal) delete out.StopSignal;
  return out;
}
