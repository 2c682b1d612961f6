/**
 * Parser for Go text/template, mirroring `text/template/parse/parse.go`:
 * the same grammar, the same variable scoping (declared variables live until
 * the enclosing `{{end}}`), and the same error texts, prefixed
 * `template: <name>:<line>: `.
 */
import type {
  ArgNode, BranchNode, CommandNode, DelimNode, ListNode, Node, NumberNode, PipeNode, TemplateNode,
  VariableNode,
} from './template-ast.ts';
import { isEmptyTree, nodeString } from './template-ast.ts';
import { lex, tokenString } from './template-lexer.ts';
import type { Token, TokenType } from './template-lexer.ts';
import { goQuote, goUnquote, UnquoteError } from './template-quote.ts';

/** A failed parse; `message` is Go's, e.g. `template: :1: unclosed action`. */
export class ParseFailure extends Error {}

/** The named templates of one parse: `""` (or the given name) plus each `define`/`block`. */
export type TreeSet = Map<string, ListNode>;

const OPERAND_START: ReadonlySet<TokenType> = new Set<TokenType>([
  'bool', 'charConstant', 'complex', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string',
  'variable', 'leftParen',
]);

export function parseNumber(text: string, charConstant: boolean): NumberNode['value'] {
  if (charConstant) {
    const s = goUnquote(text);
    return s.codePointAt(0) as number;
  }
  let body = text.replace(/_/g, '');
  let negative = false;
  if (body[0] === '+' || body[0] === '-') {
    negative = body[0] === '-';
    body = body.slice(1);
  }
  let big: bigint | null = null;
  if (/^0[xX][0-9a-fA-F]+$|^0[oO][0-7]+$|^0[bB][01]+$|^[1-9][0-9]*$|^0$/.test(body)) big = BigInt(body);
  else if (/^0[0-7]+$/.test(body)) big = BigInt(`0o${body.slice(1)}`);
  if (big !== null) {
    const v = negative ? -big : big;
    if (v > 0xffffffffffffffffn || v < -0x8000000000000000n) throw new Error(`integer overflow: ${goQuote(text)}`);
    return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  }
  if (/[.eEpP]/.test(body) && /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(body)) {
    const f = Number(body);
    return negative ? -f : f;
  }
  throw new Error(`illegal number syntax: ${goQuote(text)}`);
}

export class Parser {
  private i = 0;
  private furthest = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly text: string,
    private readonly name: string,
    private readonly hasFunction: (name: string) => boolean,
    readonly trees: TreeSet = new Map(),
  ) {
    this.tokens = lex(text);
  }

  /** Parse the whole text; the top-level tree is stored under `name`. */
  parse(): TreeSet {
    const root: ListNode = { kind: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const delim = this.i;
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = delim;
      }
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n as Node);
    }
    this.add(this.name, root);
    return this.trees;
  }

  // ---- token stream -------------------------------------------------------

  private next(): Token {
    // Past the end the last token (eof or error) repeats, as Go's lexer channel would.
    const at = Math.min(this.i, this.tokens.length - 1);
    this.i++;
    this.furthest = Math.max(this.furthest, at);
    return this.tokens[at] as Token;
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Token {
    const t = this.next();
    this.backup();
    return t;
  }
  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next(); while (t.type === 'space');
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }
  /** The furthest token read: Go reports errors at the lexer's latest line. */
  private errorf(message: string): never {
    const t = this.tokens[Math.min(this.furthest, this.tokens.length - 1)] as Token;
    throw new ParseFailure(`template: ${this.name}:${t.line}: ${message}`);
  }
  private unexpected(t: Token, context: string): never {
    if (t.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${t.val}${extra}`);
    }
    this.errorf(`unexpected ${tokenString(t)} in ${context}`);
  }
  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }
  private unquote(t: Token): string {
    try {
      return goUnquote(t.val);
    } catch (err) {
      if (err instanceof UnquoteError) this.errorf(err.message);
      throw err;
    }
  }

  // ---- templates ----------------------------------------------------------

  private add(name: string, root: ListNode): void {
    const existing = this.trees.get(name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.trees.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${goQuote(name)}`);
  }

  /** `{{define "name"}} … {{end}}`; the `define` keyword is consumed. */
  private parseDefinition(): void {
    const context = 'define clause';
    const t = this.nextNonSpace();
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    const name = this.unquote(t);
    this.expect('rightDelim', context);
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = saved;
    this.add(name, list);
  }

  private itemList(): [ListNode, DelimNode] {
    const list: ListNode = { kind: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return [list, n as DelimNode];
      list.nodes.push(n as Node);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | DelimNode {
    const t = this.nextNonSpace();
    if (t.type === 'text') return { kind: 'text', pos: t.pos, text: t.val };
    if (t.type === 'leftDelim') {
      this.actionLine = t.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    this.unexpected(t, 'input');
  }

  private action(): Node | DelimNode {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'block': return this.blockControl();
      case 'break':
      case 'continue': {
        const name = t.type;
        const close = this.nextNonSpace();
        if (close.type !== 'rightDelim') this.unexpected(close, `{{${name}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${name}}} outside {{range}}`);
        return { kind: name, pos: t.pos, line: t.line };
      }
      case 'else': return this.elseControl();
      case 'end': return { kind: 'end', pos: this.expect('rightDelim', 'end').pos, line: t.line };
      case 'if': return this.branch('if', true);
      case 'range': return this.branch('range', false);
      case 'template': return this.templateControl();
      case 'with': return this.branch('with', true);
    }
    this.backup();
    const start = this.peek();
    return { kind: 'action', pos: start.pos, line: start.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private elseControl(): DelimNode {
    const peek = this.peekNonSpace();
    // "{{else if …}}" / "{{else with …}}": leave the keyword for branch().
    if (peek.type === 'if' || peek.type === 'with') return { kind: 'else', pos: peek.pos, line: peek.line };
    const t = this.expect('rightDelim', 'else');
    return { kind: 'else', pos: t.pos, line: t.line };
  }

  /** if / with / range, with `{{else}}` and the chained `{{else if}}` / `{{else with}}`. */
  private branch(kind: BranchNode['kind'], allowElseChain: boolean): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    let [list, next] = this.itemList();
    if (kind === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.kind === 'else') {
      const following = this.peek();
      if (allowElseChain && following.type === kind) {
        // {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}}.
        this.next();
        elseList = { kind: 'list', pos: next.pos, nodes: [this.branch(kind, true)] };
      } else {
        [elseList, next] = this.itemList();
        if (next.kind !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
      }
    }
    this.vars.length = mark;
    return { kind, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
  }

  private templateName(t: Token, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    return this.unquote(t);
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { kind: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    ({ vars: this.vars, rangeDepth: this.rangeDepth } = saved);
    this.add(name, list);
    return { kind: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  // ---- pipelines ----------------------------------------------------------

  private pipeline(context: string, end: TokenType): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: start.pos, line: start.line, isAssign: false, decl: [], cmds: [] };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const at = this.i;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().type;
          if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else {
        this.i = at; // `$x` is an operand, not a declaration
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!OPERAND_START.has(t.type)) this.unexpected(t, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]?.kind;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    const fields: string[] = [];
    const pos = this.peek().pos;
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field': return { kind: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable': return { kind: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
      default:
        return { kind: 'chain', pos, node, field: fields };
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.hasFunction(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { kind: 'identifier', pos: t.pos, ident: t.val };
      case 'dot': return { kind: 'dot', pos: t.pos };
      case 'nil': return { kind: 'nil', pos: t.pos };
      case 'variable': return this.useVar(t);
      case 'field': return { kind: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool': return { kind: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number': {
        if (t.type === 'complex') this.errorf(`complex numbers are not supported: ${goQuote(t.val)}`);
        try {
          const value = parseNumber(t.val, t.type === 'charConstant');
          const isFloat = t.type === 'number' && !/^[+-]?0[xX]/.test(t.val) && /[.eEpP]/.test(t.val);
          return { kind: 'number', pos: t.pos, text: t.val, value, isFloat };
        } catch (err) {
          this.errorf(err instanceof UnquoteError ? `malformed character constant: ${t.val}` : (err as Error).message);
        }
      }
      // falls through: errorf never returns
      case 'leftParen': return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { kind: 'string', pos: t.pos, quoted: t.val, text: this.unquote(t) };
    }
    this.backup();
    return null;
  }

  private useVar(t: Token): VariableNode {
    const ident = t.val.split('.');
    const name = ident[0] as string;
    if (!this.vars.includes(name)) this.errorf(`undefined variable ${goQuote(name)}`);
    return { kind: 'variable', pos: t.pos, ident };
  }
}
