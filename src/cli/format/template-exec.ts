/**
 * Executor for parsed templates, following Go's `text/template/exec.go`:
 * the same evaluation order, variable scopes, truth rules, `<no value>`
 * printing and error messages (`template: :1:2: executing "" at <.X>: …`,
 * located at the last node the evaluator touched, as Go's `state.at` does).
 */
import type {
  AnyNode, ArgNode, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, Node,
  PipeNode, TemplateNode, VariableNode,
} from './template-ast.ts';
import { nodeString } from './template-ast.ts';
import { TemplateExecError } from './template-errors.ts';
import { formatV, typeNameFor } from './template-fmt.ts';
import { FuncError } from './template-funcs.ts';
import type { ParamKind, TemplateFunc } from './template-funcs.ts';
import type { TreeSet } from './template-parser.ts';
import { goQuote } from './template-quote.ts';
import { goTypeName, isTrue, kindOf, mapTag, sortedKeys, utf8Bytes } from './template-values.ts';

/** What a missing key of a plain object does: print `<no value>` (Go's default) or fail. */
export type MissingKey = 'no-value' | 'error';

export interface ExecContext {
  trees: TreeSet;
  text: string;
  /** The parse name (docker uses ""), shown in error locations. */
  name: string;
  funcs: (name: string) => TemplateFunc | ((...args: unknown[]) => unknown) | undefined;
  missingKey: MissingKey;
}

const MISSING = Symbol('missing');
type Final = unknown | typeof MISSING;
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
const MAX_DEPTH = 100000;

interface Variable { name: string; value: unknown }

/** Own data, or methods of class instances; never Object.prototype's members. */
function lookup(obj: object, name: string): { found: boolean; value?: unknown } {
  if (Object.hasOwn(obj, name)) return { found: true, value: (obj as Record<string, unknown>)[name] };
  if (name in obj && !(name in Object.prototype)) return { found: true, value: (obj as Record<string, unknown>)[name] };
  return { found: false };
}

/** The `call` builtin: the first argument is the function. */
function callFunction(argv: unknown[], fnNode: ArgNode | undefined): unknown {
  const [fn, ...rest] = argv;
  if (fn === null || fn === undefined) throw new FuncError('call of nil');
  if (typeof fn !== 'function') {
    throw new FuncError(`non-function ${fnNode ? nodeString(fnNode) : ''} of type ${goTypeName(fn)}`);
  }
  return (fn as (...a: unknown[]) => unknown)(...rest);
}

export class Executor {
  private out: string[] = [];
  private vars: Variable[] = [];
  private node: AnyNode | null = null;
  private tmplName: string;
  private depth = 0;

  constructor(private readonly ctx: ExecContext) {
    this.tmplName = ctx.name;
  }

  run(root: ListNode, data: unknown): string {
    // Execute(nil) in Go gives dot the invalid value, like a missing key.
    const dot = data === null ? undefined : data;
    this.vars = [{ name: '$', value: dot }];
    this.walk(dot, root);
    return this.out.join('');
  }

  // ---- errors -------------------------------------------------------------

  private errorf(message: string): never {
    const name = goQuote(this.tmplName);
    if (this.node === null) throw new TemplateExecError(`template: ${this.tmplName}: ${message}`);
    const pos = this.node.pos;
    const before = this.ctx.text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = utf8Bytes(before.slice(nl + 1)).length;
    throw new TemplateExecError(
      `template: ${this.ctx.name}:${line}:${col}: executing ${name} at <${nodeString(this.node)}>: ${message}`,
    );
  }

  // ---- variables ----------------------------------------------------------

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v.value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }
  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: unknown): void {
    (this.vars[this.vars.length - n] as Variable).value = value;
  }

  // ---- statements ---------------------------------------------------------

  private walk(dot: unknown, node: Node): void {
    this.node = node;
    switch (node.kind) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'if':
      case 'with': return this.walkIfOrWith(dot, node);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range': return this.walkRange(dot, node);
      case 'template': return this.walkTemplate(dot, node);
      case 'text':
        this.out.push(node.text);
        return;
    }
  }

  private printValue(node: Node, val: unknown): void {
    this.node = node;
    // A nil interface leaves the pipeline as Go's invalid value: `<no value>`.
    if (val === undefined || val === null) {
      this.out.push('<no value>');
      return;
    }
    if (typeof val === 'function') this.errorf(`can't print ${nodeString(node)} of type ${goTypeName(val)}`);
    this.out.push(formatV(val));
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    if (isTrue(val)) this.walk(node.kind === 'with' ? val : dot, node.list);
    else if (node.elseList) this.walk(dot, node.elseList);
    this.vars.length = mark;
  }

  private walkRange(dot: unknown, node: BranchNode): void {
    this.node = node;
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    const inner = this.vars.length;
    const decls = node.pipe.decl.length;
    const iterate = (key: unknown, elem: unknown): boolean => {
      if (decls > 0) this.setTopVar(1, elem);
      if (decls > 1) this.setTopVar(2, key);
      try {
        this.walk(elem, node.list);
      } catch (signal) {
        if (signal === BREAK) return false;
        if (signal !== CONTINUE) throw signal;
      } finally {
        this.vars.length = inner;
      }
      return true;
    };
    let ran = false;
    switch (kindOf(val)) {
      case 'slice': {
        const items = Array.from(val as ArrayLike<unknown>);
        for (let i = 0; i < items.length; i++) {
          ran = true;
          if (!iterate(i, items[i])) break;
        }
        break;
      }
      case 'map': {
        const rec = val as Record<string, unknown>;
        for (const k of sortedKeys(rec)) {
          ran = true;
          if (!iterate(k, rec[k])) break;
        }
        break;
      }
      case 'int': {
        // Go 1.22+: {{range 3}} counts 0, 1, 2.
        if (decls > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`);
        for (let i = 0; i < Number(val); i++) {
          ran = true;
          if (!iterate(i, i)) break;
        }
        break;
      }
      case 'invalid':
      case 'nil':
        break;
      default:
        this.errorf(`range can't iterate over ${formatV(val)}`);
    }
    if (!ran && node.elseList) this.walk(dot, node.elseList);
    this.vars.length = mark;
  }

  private walkTemplate(dot: unknown, node: TemplateNode): void {
    this.node = node;
    const tree = this.ctx.trees.get(node.name);
    if (!tree) this.errorf(`template ${goQuote(node.name)} not defined`);
    if (this.depth === MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const saved = { vars: this.vars, name: this.tmplName };
    this.vars = [{ name: '$', value: newDot }];
    this.tmplName = node.name;
    this.depth++;
    try {
      this.walk(newDot, tree);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
    }
  }

  // ---- expressions --------------------------------------------------------

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.node = pipe;
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0] as string, value);
      else this.vars.push({ name: v.ident[0] as string, value });
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`);
    }
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0] as ArgNode;
    switch (first.kind) {
      case 'field': return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain': return this.evalChain(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariable(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return first.value;
      case 'string': return first.text;
    }
  }

  private evalChain(dot: unknown, chain: ChainNode, args: readonly ArgNode[], final: Final): unknown {
    this.node = chain;
    if (chain.node.kind === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const receiver = this.evalArg(dot, 'any', chain.node, true);
    return this.evalFieldChain(dot, receiver, chain, chain.field, args, final);
  }

  private evalVariable(dot: unknown, v: VariableNode, args: readonly ArgNode[], final: Final): unknown {
    this.node = v;
    const value = this.varValue(v.ident[0] as string);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(
    dot: unknown, receiver: unknown, node: FieldNode | ChainNode | VariableNode, ident: readonly string[],
    args: readonly ArgNode[], final: Final,
  ): unknown {
    this.node = node;
    // Values read out of a map[string]interface{} have the static type interface {},
    // which is what Go names in "can't evaluate field X in type interface {}".
    let fromMap = false;
    for (let i = 0; i < ident.length - 1; i++) {
      const next = this.evalField(dot, ident[i] as string, node, [], MISSING, receiver, fromMap);
      fromMap = kindOf(receiver) === 'map';
      receiver = next;
    }
    return this.evalField(dot, ident[ident.length - 1] as string, node, args, final, receiver, fromMap);
  }

  private evalField(
    dot: unknown, name: string, node: AnyNode, args: readonly ArgNode[], final: Final, receiver: unknown, fromMap: boolean,
  ): unknown {
    if (receiver === undefined) {
      if (this.ctx.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(name)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const kind = kindOf(receiver);
    if (kind === 'map' || kind === 'struct') {
      const { found, value } = lookup(receiver as object, name);
      if (found && typeof value === 'function') {
        const method = (...a: unknown[]): unknown => (value as (...x: unknown[]) => unknown).apply(receiver, a);
        return this.evalCall(dot, method, node, name, args, final);
      }
      const hasArgs = args.length > 1 || final !== MISSING;
      if (kind === 'struct') {
        if (!found) this.errorf(`can't evaluate field ${name} in type ${typeNameFor(receiver as object)}`);
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return value;
      }
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      if (found) return value;
      if (this.ctx.missingKey === 'error' && !mapTag(receiver as object)) this.errorf(`map has no entry for key ${goQuote(name)}`);
      return undefined;
    }
    return this.errorf(`can't evaluate field ${name} in type ${fromMap ? 'interface {}' : goTypeName(receiver)}`);
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: AnyNode, args: readonly ArgNode[], final: Final): unknown {
    this.node = node;
    const fn = this.ctx.funcs(node.ident);
    if (!fn) this.errorf(`${goQuote(node.ident)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, node.ident, args, final);
  }

  private evalCall(
    dot: unknown, fn: TemplateFunc | ((...args: unknown[]) => unknown), node: AnyNode, name: string,
    cmdArgs: readonly ArgNode[], final: Final,
  ): unknown {
    const args = cmdArgs.slice(1);
    const numIn = args.length + (final === MISSING ? 0 : 1);
    const def: TemplateFunc = typeof fn === 'function' ? { params: [], variadic: 'any', fn } : fn;
    if (def.variadic) {
      if (numIn < def.params.length) {
        this.errorf(`wrong number of args for ${name}: want at least ${def.params.length} got ${args.length}`);
      }
    } else if (numIn !== def.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${def.params.length} got ${numIn}`);
    }
    const kindAt = (i: number): ParamKind => def.params[i] ?? def.variadic ?? 'any';
    if (typeof fn !== 'function' && (name === 'and' || name === 'or')) {
      let v: unknown;
      for (const a of args) {
        v = this.evalArg(dot, 'any', a);
        if (isTrue(v) === (name === 'or')) return v;
      }
      return final === MISSING ? v : this.validateType(final, 'any');
    }
    const argv = args.map((a, i) => this.evalArg(dot, kindAt(i), a));
    if (final !== MISSING) argv.push(this.validateType(final, kindAt(numIn - 1)));
    try {
      if (typeof fn !== 'function' && name === 'call') return callFunction(argv, args[0]);
      return def.fn(...argv);
    } catch (err) {
      this.node = node;
      if (err instanceof TemplateExecError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      return this.errorf(`error calling ${name}: ${message}`);
    }
  }

  /** Go's validateType for the parameter kinds our functions declare. */
  private validateType(value: unknown, kind: ParamKind): unknown {
    if (value === undefined) {
      if (kind === 'any') return null;
      return this.errorf(`invalid value; expected ${kind}`);
    }
    if (kind === 'any') return value;
    const ok = kind === 'string' ? typeof value === 'string' : kindOf(value) === 'int';
    if (!ok) this.errorf(`wrong type for value; expected ${kind}; got ${value === null ? 'interface {}' : goTypeName(value)}`);
    return value;
  }

  private evalArg(dot: unknown, kind: ParamKind, n: ArgNode, keepInvalid = false): unknown {
    this.node = n;
    const check = (v: unknown): unknown => (keepInvalid && v === undefined ? v : this.validateType(v, kind));
    switch (n.kind) {
      case 'dot': return check(dot);
      case 'nil':
        if (kind !== 'any') this.errorf(`cannot assign nil to ${kind}`);
        return null;
      case 'field': return check(this.evalFieldChain(dot, dot, n, n.ident, [n], MISSING));
      case 'variable': return check(this.evalVariable(dot, n, [n], MISSING));
      case 'pipe': return check(this.evalPipeline(dot, n));
      case 'identifier': return check(this.evalFunction(dot, n, n, [n], MISSING));
      case 'chain': return check(this.evalChain(dot, n, [n], MISSING));
      case 'string':
        if (kind === 'int') this.errorf(`expected integer; found ${nodeString(n)}`);
        return n.text;
      case 'number':
        if (kind === 'string') this.errorf(`expected string; found ${nodeString(n)}`);
        if (kind === 'int' && (n.isFloat || kindOf(n.value) !== 'int')) this.errorf(`expected integer; found ${nodeString(n)}`);
        return n.value;
      case 'bool':
        if (kind !== 'any') this.errorf(`expected ${kind === 'int' ? 'integer' : kind}; found ${nodeString(n)}`);
        return n.value;
    }
  }
}
