/**
 * RUN's `--mount`, `--network` and `--security` values (moby/buildkit
 * instructions/commands_runmount.go, commands_runnetwork.go,
 * commands_runsecurity.go), with BuildKit's words.
 *
 * Two passes, as in BuildKit: when the Dockerfile is parsed
 * (checkRunFlags) only what cannot depend on variables is checked
 * (`--network`, `--security`, a `from=` naming a variable); when the step
 * runs, the builder calls parseRunMount with the step's expansion to get the
 * whole mount, every key checked.
 */
import { InvalidParameterError } from '../../../util/errors.ts';
import { InstructionError } from './parse-errors.ts';
import type { Flag } from './ast.ts';

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type CacheSharing = 'shared' | 'private' | 'locked';

export interface RunMount {
  type: MountType;
  /** A stage name, image or build context (bind and cache). */
  from?: string;
  source?: string;
  target?: string;
  readOnly: boolean;
  /** tmpfs size in bytes (0: no limit). */
  sizeLimit: number;
  /** cache id / secret id. */
  id?: string;
  sharing?: CacheSharing;
  required: boolean;
  /** secret: the variable to expose it as. */
  env?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

const TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const SHARING = new Set(['shared', 'private', 'locked']);
const NETWORKS = new Set(['default', 'none', 'host']);
const SECURITY = new Set(['insecure', 'sandbox']);

/** Go's encoding/csv reading of one record, as csvvalue.Fields does. */
export function csvFields(value: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) throw new InstructionError('failed to parse csv mounts: extraneous or missing " in quoted-field');
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += value[i++];
      }
      if (i < value.length && value[i] !== ',') throw new InstructionError('failed to parse csv mounts: extraneous or missing " in quoted-field');
    } else {
      while (i < value.length && value[i] !== ',') {
        if (value[i] === '"') throw new InstructionError('failed to parse csv mounts: bare " in non-quoted-field');
        field += value[i++];
      }
    }
    fields.push(field);
    if (i >= value.length) return fields;
    i++; // the comma
  }
}

function parseBool(key: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new InstructionError(`invalid value for ${key}: ${value}`);
}

function parseUint(value: string, radix: 8 | 10, what: string): number {
  const ok = radix === 8 ? /^[0-7]+$/.test(value) : /^\d+$/.test(value);
  const n = ok ? parseInt(value, radix) : NaN;
  if (!ok || n > 0xffffffff) throw new InstructionError(`invalid value ${value} for ${what}`);
  return n;
}

/** docker/go-units RAMInBytes: `64m`, `1g`, `512kb`, binary multiples. */
function ramInBytes(key: string, value: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  if (m === null) throw new InstructionError(`invalid value for ${key}: ${value}`);
  const unit = { k: 1, m: 2, g: 3, t: 4, p: 5 }[(m[2] ?? '').toLowerCase()] ?? 0;
  return Math.trunc(Number(m[1]) * 1024 ** unit);
}

/**
 * One `--mount` value; `expand` is the step's variable expansion
 * (expandWord). Throws InvalidParameterError with BuildKit's words.
 */
export function parseRunMount(value: string, expand: (word: string) => string = (w) => w): RunMount {
  try {
    return readRunMount(value, expand);
  } catch (err) {
    if (err instanceof InstructionError) throw new InvalidParameterError(err.message, { cause: err });
    throw err;
  }
}

function readRunMount(value: string, expand: (word: string) => string): RunMount {
  const m: RunMount = { type: 'bind', readOnly: false, sizeLimit: 0, required: false };
  let roAuto = true;
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') {
        m.readOnly = true;
        roAuto = false;
      } else if (key === 'readwrite' || key === 'rw') {
        m.readOnly = false;
        roAuto = false;
      } else if (key === 'required' && (m.type === 'secret' || m.type === 'ssh')) {
        m.required = true;
      } else if (key === 'required') {
        throw new InstructionError(`unexpected key '${key}' for mount type '${m.type}'`);
      } else {
        throw new InstructionError(`invalid field '${field}' must be a key=value pair`);
      }
      continue;
    }
    const v = expand(field.slice(eq + 1));
    switch (key) {
      case 'type':
        if (!TYPES.has(v.toLowerCase())) throw new InstructionError(`unsupported mount type ${JSON.stringify(v)}`);
        m.type = v.toLowerCase() as MountType;
        break;
      case 'from': m.from = v; break;
      case 'source': case 'src': m.source = v; break;
      case 'target': case 'dst': case 'destination': m.target = v; break;
      case 'readonly': case 'ro':
        m.readOnly = parseBool(key, v);
        roAuto = false;
        break;
      case 'readwrite': case 'rw':
        m.readOnly = !parseBool(key, v);
        roAuto = false;
        break;
      case 'required':
        if (m.type !== 'secret' && m.type !== 'ssh') throw new InstructionError(`unexpected key '${key}' for mount type '${m.type}'`);
        m.required = parseBool(key, v);
        break;
      case 'size':
        if (m.type !== 'tmpfs') throw new InstructionError(`unexpected key '${key}' for mount type '${m.type}'`);
        m.sizeLimit = ramInBytes(key, v);
        break;
      case 'id': m.id = v; break;
      case 'sharing':
        if (!SHARING.has(v.toLowerCase())) throw new InstructionError(`unsupported sharing value ${JSON.stringify(v)}`);
        m.sharing = v.toLowerCase() as CacheSharing;
        break;
      case 'mode': m.mode = parseUint(v, 8, 'mode'); break;
      case 'uid': m.uid = parseUint(v, 10, 'uid'); break;
      case 'gid': m.gid = parseUint(v, 10, 'gid'); break;
      case 'env': m.env = v; break;
      default:
        throw new InstructionError(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (m.type !== 'secret' && m.type !== 'ssh' && m.type !== 'cache') {
    for (const k of ['mode', 'uid', 'gid'] as const) {
      if (m[k] !== undefined) throw new InstructionError(`${k} not allowed for "${m.type}" type mounts`);
    }
  }
  if (roAuto) m.readOnly = !(m.type === 'cache' || m.type === 'tmpfs');
  if (m.type === 'secret') {
    if (m.from !== undefined && m.from !== '') throw new InstructionError('secret mount should not have a from');
    if (m.sharing !== undefined) throw new InstructionError('secret mount should not define sharing');
    if (!m.source && !m.target && !m.id) throw new InstructionError('invalid secret mount. one of source, target required');
    if (m.source && m.id) throw new InstructionError("both source and id can't be set");
  }
  if (m.sharing !== undefined && m.type !== 'cache') throw new InstructionError(`invalid cache sharing set for ${m.type} mount`);
  return m;
}

/** What BuildKit checks of RUN's flags when parsing, before any variable is known. */
export function checkRunFlags(flags: readonly Flag[]): void {
  for (const flag of flags) {
    const value = flag.value ?? '';
    if (flag.name === 'network' && !NETWORKS.has(value)) throw new InstructionError(`invalid network mode ${JSON.stringify(value)}`);
    if (flag.name === 'security' && !SECURITY.has(value)) throw new InstructionError(`security ${JSON.stringify(value)} is not valid`);
    if (flag.name === 'mount') {
      for (const field of csvFields(value)) {
        const eq = field.indexOf('=');
        if (eq < 0 || field.slice(0, eq).toLowerCase() !== 'from') continue;
        const v = field.slice(eq + 1);
        const dollar = v.indexOf('$');
        if (dollar !== -1 && dollar !== v.length - 1) {
          throw new InstructionError("'from' doesn't support variable expansion, define alias stage instead");
        }
      }
    }
  }
}
