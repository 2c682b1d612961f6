/**
 * A pflag-compatible argv parser. Hand-written because docker's behaviour
 * is spf13/pflag's exactly (combined `-dit`, `-e=V`/`-eV`/`-e V`, a
 * non-boolean flag taking the next argument even when it starts with `-`,
 * `--` ending flags, SetInterspersed(false) for run/exec) and so are its
 * error texts; no npm parser (yargs, commander, minimist, node:util.parseArgs)
 * reproduces both. Pure: argv in, values or FlagError out.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'list' | 'value';

export interface FlagSpec {
  long: string;
  short?: string;
  type: FlagType;
  usage: string;
  /** Label in help output (pflag's Type()): string, list, bytes, decimal… */
  typeName?: string;
  /** Default value; shown in help as `(default …)` unless zero. */
  def?: string | number | boolean;
  /** Default as docker's Value.String() prints it when that is not a zero value ("[]", "map[]"). */
  defText?: string;
  /** Convert/validate one raw value; throw an Error whose message pflag prints after "invalid argument". */
  parse?: (raw: string) => unknown;
  hidden?: boolean;
}

/** A usage error from flag parsing; the CLI adds the "Usage:" block and exits 125. */
export class FlagError extends Error {}

export class Flags {
  /** Values by long name: boolean, string, number, parsed value, or an array for lists. */
  readonly values = new Map<string, unknown>();
  readonly changed = new Set<string>();
  args: string[] = [];

  constructor(readonly specs: FlagSpec[]) {
    for (const s of specs) if (s.def !== undefined) this.values.set(s.long, s.def);
  }

  bool(name: string): boolean {
    return this.values.get(name) === true;
  }
  str(name: string): string {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : '';
  }
  int(name: string, fallback = 0): number {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : fallback;
  }
  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? (v as string[]) : [];
  }
  /** A `value` flag's parsed value, or undefined when not given. */
  get<T>(name: string): T | undefined {
    return this.values.get(name) as T | undefined;
  }
  has(name: string): boolean {
    return this.changed.has(name);
  }
}

function flagTitle(s: FlagSpec): string {
  return s.short ? `-${s.short}, --${s.long}` : `--${s.long}`;
}

/** Go's strconv.ParseBool. */
function parseBool(raw: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
}

function parseInt10(raw: string): number {
  if (!/^[+-]?\d+$/.test(raw)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  return Number(raw);
}

function setValue(flags: Flags, spec: FlagSpec, raw: string): void {
  let value: unknown;
  try {
    if (spec.type === 'bool') value = parseBool(raw);
    else if (spec.type === 'int') value = parseInt10(raw);
    else value = spec.parse ? spec.parse(raw) : raw;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new FlagError(`invalid argument ${JSON.stringify(raw)} for ${JSON.stringify(flagTitle(spec))} flag: ${msg}`);
  }
  if (spec.type === 'list') {
    // A repeated list flag accumulates; the first use replaces the default.
    const prev = flags.changed.has(spec.long) ? flags.list(spec.long) : [];
    flags.values.set(spec.long, [...prev, value]);
  } else {
    flags.values.set(spec.long, value);
  }
  flags.changed.add(spec.long);
}

export interface ParseOptions {
  /** false stops at the first positional argument (docker run/exec/create). */
  interspersed: boolean;
}

/** Parse argv against specs as pflag's FlagSet.Parse does. */
export function parseFlags(specs: FlagSpec[], argv: string[], opts: ParseOptions): Flags {
  const flags = new Flags(specs);
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const args: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i++] as string;
    if (a.length === 0 || a[0] !== '-' || a.length === 1) {
      if (!opts.interspersed) {
        args.push(a, ...argv.slice(i));
        break;
      }
      args.push(a);
      continue;
    }
    if (a[1] === '-') {
      if (a.length === 2) {
        args.push(...argv.slice(i));
        break;
      }
      const body = a.slice(2);
      if (body[0] === '-' || body[0] === '=') throw new FlagError(`bad flag syntax: ${a}`);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const spec = byLong.get(name);
      if (!spec) {
        if (name === 'help') throw new HelpRequested();
        throw new FlagError(`unknown flag: --${name}`);
      }
      if (eq >= 0) setValue(flags, spec, body.slice(eq + 1));
      else if (spec.type === 'bool') setValue(flags, spec, 'true');
      else if (i < argv.length) setValue(flags, spec, argv[i++] as string);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    // Shorthands: each char a flag; a non-bool one takes the rest (after an optional '=') or the next arg.
    let rest = a.slice(1);
    while (rest.length > 0) {
      const ch = rest[0] as string;
      const spec = byShort.get(ch);
      if (!spec) {
        if (ch === 'h') throw new HelpRequested();
        throw new FlagError(`unknown shorthand flag: '${ch}' in ${a}`);
      }
      if (rest.length > 2 && rest[1] === '=') {
        setValue(flags, spec, rest.slice(2));
        rest = '';
      } else if (spec.type === 'bool') {
        setValue(flags, spec, 'true');
        rest = rest.slice(1);
      } else if (rest.length > 1) {
        setValue(flags, spec, rest.slice(1));
        rest = '';
      } else if (i < argv.length) {
        setValue(flags, spec, argv[i++] as string);
        rest = '';
      } else {
        throw new FlagError(`flag needs an argument: '${ch}' in -${ch}`);
      }
    }
  }
  flags.args = args;
  if (flags.bool('help')) throw new HelpRequested();
  return flags;
}

/** `--help`/`-h` was given (pflag's ErrHelp): print the command's help, exit 0. */
export class HelpRequested extends Error {
  constructor() {
    super('help requested');
  }
}
