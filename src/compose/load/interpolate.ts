/**
 * Interpolation of a whole compose file (12-interpolation.md): every string
 * value, never a key, is substituted; values at the paths compose-go types
 * (booleans, integers, numbers) are then cast, as compose-go's
 * interpolateTypeCastMapping does, so `replicas: ${N}` is a number. Errors
 * name the key path (`services.web.image`, `[]` for a list item) and the file.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import { InvalidTemplateError, substitute, type Lookup } from './template.ts';

type Cast = 'bool' | 'int' | 'float';

const CASTS: [string, Cast][] = [
  ['services.*.cpu_count', 'int'],
  ['services.*.cpu_percent', 'float'],
  ['services.*.cpu_period', 'int'],
  ['services.*.cpu_quota', 'int'],
  ['services.*.cpu_rt_period', 'int'],
  ['services.*.cpu_rt_runtime', 'int'],
  ['services.*.cpus', 'float'],
  ['services.*.cpu_shares', 'int'],
  ['services.*.init', 'bool'],
  ['services.*.depends_on.*.required', 'bool'],
  ['services.*.depends_on.*.restart', 'bool'],
  ['services.*.deploy.replicas', 'int'],
  ['services.*.deploy.update_config.parallelism', 'int'],
  ['services.*.deploy.update_config.max_failure_ratio', 'float'],
  ['services.*.deploy.rollback_config.parallelism', 'int'],
  ['services.*.deploy.rollback_config.max_failure_ratio', 'float'],
  ['services.*.deploy.restart_policy.max_attempts', 'int'],
  ['services.*.deploy.placement.max_replicas_per_node', 'int'],
  ['services.*.healthcheck.retries', 'int'],
  ['services.*.healthcheck.disable', 'bool'],
  ['services.*.oom_kill_disable', 'bool'],
  ['services.*.oom_score_adj', 'int'],
  ['services.*.pids_limit', 'int'],
  ['services.*.ports.[].target', 'int'],
  ['services.*.privileged', 'bool'],
  ['services.*.read_only', 'bool'],
  ['services.*.scale', 'int'],
  ['services.*.stdin_open', 'bool'],
  ['services.*.tty', 'bool'],
  ['services.*.ulimits.*', 'int'],
  ['services.*.ulimits.*.hard', 'int'],
  ['services.*.ulimits.*.soft', 'int'],
  ['services.*.volumes.[].read_only', 'bool'],
  ['services.*.volumes.[].volume.nocopy', 'bool'],
  ['networks.*.external', 'bool'],
  ['networks.*.internal', 'bool'],
  ['networks.*.attachable', 'bool'],
  ['networks.*.enable_ipv4', 'bool'],
  ['networks.*.enable_ipv6', 'bool'],
  ['volumes.*.external', 'bool'],
  ['secrets.*.external', 'bool'],
  ['configs.*.external', 'bool'],
];
const CAST_PATTERNS = CASTS.map(([p, c]) => ({ parts: p.split('.'), cast: c }));

function castFor(path: string[]): Cast | undefined {
  for (const { parts, cast } of CAST_PATTERNS) {
    if (parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i])) return cast;
  }
  return undefined;
}

function applyCast(value: string, cast: Cast, warn: (m: string) => void): unknown {
  if (cast === 'bool') {
    const v = value.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (['y', 'yes', 'on'].includes(v)) {
      warn(`"${value}" for boolean is not supported by YAML 1.2, please use \`true\``);
      return true;
    }
    if (['n', 'no', 'off'].includes(v)) {
      warn(`"${value}" for boolean is not supported by YAML 1.2, please use \`false\``);
      return false;
    }
    throw new Error(`invalid boolean: ${value}`);
  }
  if (cast === 'int') {
    if (!/^[+-]?\d+$/.test(value)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`);
    return Number(value);
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`);
  return Number(value);
}

export interface InterpolateOptions {
  lookup: Lookup;
  /** The file, for messages. */
  filename: string;
  /** Warnings (unset variables, YAML 1.1 booleans) are collected here. */
  warnings: string[];
}

/** Interpolate a parsed file's value tree; returns a new tree. */
export function interpolateTree(value: unknown, opts: InterpolateOptions): unknown {
  // Compose warns at every use of an unset variable, not once per variable.
  const onUnset = (name: string) => opts.warnings.push(`The "${name}" variable is not set. Defaulting to a blank string.`);
  const walk = (v: unknown, path: string[]): unknown => {
    if (typeof v === 'string') {
      let s: string;
      try {
        s = substitute(v, opts.lookup, { onUnset });
      } catch (err) {
        const where = path.join('.');
        if (err instanceof InvalidTemplateError) {
          throw new InvalidParameterError(`invalid interpolation format for ${where}.\nYou may need to escape any $ with another $.\n${v}`);
        }
        throw new InvalidParameterError(`error while interpolating ${where} in ${opts.filename}: ${(err as Error).message}`, { cause: err });
      }
      const cast = castFor(path);
      if (!cast) return s;
      try {
        return applyCast(s, cast, (m) => opts.warnings.push(m));
      } catch (err) {
        throw new InvalidParameterError(`error while interpolating ${path.join('.')} in ${opts.filename}: failed to cast to expected type: ${(err as Error).message}`);
      }
    }
    if (Array.isArray(v)) return v.map((e) => walk(e, [...path, '[]']));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) out[k] = walk(e, [...path, k]);
      return out;
    }
    return v;
  };
  return walk(value, []);
}
