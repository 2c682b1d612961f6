/**
 * Build arguments as dockerd's classic builder keeps them (buildargs.go):
 * - *options*: the request's `buildargs` (a null value is one given without
 *   a value and not set in the client's environment: it overrides nothing);
 * - *meta* args: ARGs before the first FROM, usable in FROM lines, and as
 *   defaults for a stage's `ARG NAME` without a value;
 * - *allowed* args: those a stage declared with ARG (reset at each FROM),
 *   usable in its instructions and given to its RUN steps (not written
 *   into the image config);
 * - the predefined proxy args (HTTP_PROXY…) are allowed without an ARG
 *   when the request gives them, but stay out of history and the cache key
 *   unless the Dockerfile declares them;
 * - *referenced*: every name any ARG declared, for the
 *   `[Warning] One or more build-args [x] were not consumed` line.
 * Pure.
 */

export const BUILTIN_ARGS = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

type Values = Map<string, string | undefined>;

export class BuildArgs {
  private allowed: Values = new Map();
  private readonly meta: Values;
  private readonly referenced: Set<string>;

  constructor(
    private readonly options: Readonly<Record<string, string | null>>,
    meta: Values = new Map(),
    referenced: Set<string> = new Set(),
  ) {
    this.meta = meta;
    this.referenced = referenced;
  }

  /** A stage's copy: the meta args and the referenced set are shared, the allowed ones start empty. */
  forStage(): BuildArgs {
    return new BuildArgs(this.options, this.meta, this.referenced);
  }

  addMeta(name: string, value: string | undefined): void {
    this.meta.set(name, value);
    this.allowed.set(name, value);
    this.referenced.add(name);
  }

  add(name: string, value: string | undefined): void {
    this.allowed.set(name, value);
    this.referenced.add(name);
  }

  private value(name: string, mapping: Values): string | undefined {
    const given = this.options[name];
    if (given !== undefined && given !== null) return given;
    const own = mapping.get(name);
    if (own === undefined) return this.meta.get(name);
    return own;
  }

  private all(mapping: Values): Map<string, string> {
    const out = new Map<string, string>();
    for (const name of new Set([...mapping.keys(), ...BUILTIN_ARGS])) {
      const v = this.value(name, mapping);
      if (v !== undefined) out.set(name, v);
    }
    return out;
  }

  /** Values for FROM lines (and the meta ARGs' own defaults). */
  metaValues(): Map<string, string> {
    return this.all(this.meta);
  }

  /** Values of the stage's allowed args (builtins included when given). */
  allowedValues(): Map<string, string> {
    return this.all(this.allowed);
  }

  /** `NAME=value` of the allowed args that `env` (the config's Env) does not set, sorted. */
  filterAllowed(env: readonly string[]): string[] {
    const set = new Set(env.map((e) => e.split('=', 1)[0]!));
    return [...this.allowedValues()].filter(([k]) => !set.has(k)).map(([k, v]) => `${k}=${v}`).sort();
  }

  /** A builtin proxy arg the Dockerfile did not declare stays out of history and cache keys. */
  isReferencedOrNotBuiltin(name: string): boolean {
    return this.allowed.has(name) || !BUILTIN_ARGS.has(name);
  }

  /** dockerd's `[Warning] One or more build-args [A B] were not consumed` (without the newline), or undefined. */
  unusedWarning(): string | undefined {
    const left = Object.keys(this.options).filter((k) => !this.referenced.has(k) && !BUILTIN_ARGS.has(k)).sort();
    return left.length ? `[Warning] One or more build-args [${left.join(' ')}] were not consumed` : undefined;
  }
}
