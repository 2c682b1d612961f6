/**
 * Go `text/template` for `--format`, with Docker's functions.
 *
 *   const t = parseTemplate('{{.ID}}\t{{join .Names ","}}');   // throws TemplateParseError
 *   t.execute(row);                                             // throws TemplateExecError
 *
 * Data is plain JavaScript (see template-values.ts for the mapping to Go
 * values). Which Docker commands rely on which missing-key behaviour:
 *
 *  - formatters (`ps`, `images`, `volume ls`, `network ls`, `stats`, …) execute
 *    on Go structs: a missing field is an error. Pass the row wrapped with
 *    `goStruct(row, '*formatter.ContainerContext')` (any missingKey) to get
 *    `can't evaluate field Foo in type *formatter.ContainerContext`.
 *  - `inspect` (all kinds) falls back to decoded JSON executed with
 *    `missingkey=error`: use `missingKey: 'error'`, giving
 *    `map has no entry for key "Foo"`; wrap typed map fields (labels,
 *    options) with `goMap(obj, '')` so that `.Config.Labels.missing` prints
 *    `<no value>` and `index .Config.Labels "missing"` prints '' as Docker does.
 *  - `missingKey: 'no-value'` (default) is Go's default for maps: `<no value>`.
 *
 * Docker's CLI reports either error as `template parsing error: <message>`.
 */
import { TemplateExecError, TemplateParseError } from './template-errors.ts';
import { Executor } from './template-exec.ts';
import type { MissingKey } from './template-exec.ts';
import { BUILTINS, DOCKER_FUNCS, HEADER_FUNCS } from './template-funcs.ts';
import type { TemplateFunc } from './template-funcs.ts';
import { ParseFailure, Parser } from './template-parser.ts';
import type { TreeSet } from './template-parser.ts';

export { TemplateExecError, TemplateParseError } from './template-errors.ts';
export { goMap, goNilSlice, goStruct } from './template-values.ts';
export type { MissingKey } from './template-exec.ts';

export type UserFunc = (...args: unknown[]) => unknown;

export interface TemplateOptions {
  /** Template name shown in messages; Docker parses with "" (`template: :1: …`). */
  name?: string;
  /** Behaviour of a missing key on a plain object (default 'no-value'). */
  missingKey?: MissingKey;
  /** Extra functions, called with the evaluated arguments; throwing reports `error calling <name>: …`. */
  funcs?: Readonly<Record<string, UserFunc>>;
  /** Leave out Docker's functions (json, join, …): plain Go text/template. */
  goOnly?: boolean;
}

export interface ExecuteOptions {
  /**
   * Use Docker's header functions (json/split/join/title/lower/upper/truncate
   * return their first argument), as docker/cli does when rendering a table
   * header from the same template.
   */
  headerFunctions?: boolean;
}

export class Template {
  /** @internal use parseTemplate */
  constructor(
    readonly text: string,
    private readonly trees: TreeSet,
    private readonly options: Required<Pick<TemplateOptions, 'name' | 'missingKey' | 'goOnly'>> & Pick<TemplateOptions, 'funcs'>,
  ) {}

  /** Names of the templates defined (`""` for the main one, plus each define/block). */
  get templateNames(): string[] {
    return [...this.trees.keys()];
  }

  /** Render the main template with `data` as dot. */
  execute(data: unknown, opts: ExecuteOptions = {}): string {
    return this.executeTemplate(this.options.name, data, opts);
  }

  /** Render a named `{{define}}`d template. */
  executeTemplate(name: string, data: unknown, opts: ExecuteOptions = {}): string {
    const root = this.trees.get(name);
    if (!root) {
      throw new TemplateExecError(`template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.options.name)}`);
    }
    const user = this.options.funcs;
    const docker = this.options.goOnly ? undefined : DOCKER_FUNCS;
    const header = opts.headerFunctions ? HEADER_FUNCS : undefined;
    const exec = new Executor({
      trees: this.trees,
      text: this.text,
      name: this.options.name,
      missingKey: this.options.missingKey,
      funcs: (fn): TemplateFunc | UserFunc | undefined =>
        (user && Object.hasOwn(user, fn) ? user[fn] : undefined) ?? header?.get(fn) ?? docker?.get(fn) ?? BUILTINS.get(fn),
    });
    return exec.run(root, data);
  }
}

/** Parse a Go template. Throws TemplateParseError with Go's message. */
export function parseTemplate(text: string, options: TemplateOptions = {}): Template {
  const opts = {
    name: options.name ?? '',
    missingKey: options.missingKey ?? 'no-value',
    goOnly: options.goOnly ?? false,
    funcs: options.funcs,
  };
  const hasFunction = (fn: string): boolean =>
    BUILTINS.has(fn) || (!opts.goOnly && DOCKER_FUNCS.has(fn)) || (opts.funcs !== undefined && Object.hasOwn(opts.funcs, fn));
  try {
    const trees = new Parser(text, opts.name, hasFunction).parse();
    return new Template(text, trees, opts);
  } catch (err) {
    if (err instanceof ParseFailure) throw new TemplateParseError(err.message, { cause: err });
    throw err;
  }
}
