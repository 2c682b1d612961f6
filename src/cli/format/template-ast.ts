/**
 * Parse tree of a Go text/template, shaped like Go's `text/template/parse`
 * nodes. `nodeString` renders a node as Go's `Node.String()` does, because
 * execution errors quote it: `executing "" at <.Foo>: …`.
 */
import { goQuote } from './template-quote.ts';

export interface TextNode { kind: 'text'; pos: number; text: string }
export interface ActionNode { kind: 'action'; pos: number; line: number; pipe: PipeNode }
export interface BranchNode {
  kind: 'if' | 'with' | 'range';
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface TemplateNode { kind: 'template'; pos: number; line: number; name: string; pipe: PipeNode | null }
export interface LoopControlNode { kind: 'break' | 'continue'; pos: number; line: number }
export interface ListNode { kind: 'list'; pos: number; nodes: Node[] }
/** Returned by the parser for `{{end}}` and `{{else}}`; never left in a tree. */
export interface DelimNode { kind: 'end' | 'else'; pos: number; line: number }

export type Node = TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode | ListNode;

export interface PipeNode {
  kind: 'pipe';
  pos: number;
  line: number;
  /** `=` rather than `:=`. */
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode { kind: 'command'; pos: number; args: ArgNode[] }
export interface FieldNode { kind: 'field'; pos: number; ident: string[] }
/** `$x.Field…`; ident[0] is the variable name including `$`. */
export interface VariableNode { kind: 'variable'; pos: number; ident: string[] }
/** `(pipeline).Field…` or `fn.Field` chains. */
export interface ChainNode { kind: 'chain'; pos: number; node: ArgNode; field: string[] }
export interface IdentifierNode { kind: 'identifier'; pos: number; ident: string }
export interface DotNode { kind: 'dot'; pos: number }
export interface NilNode { kind: 'nil'; pos: number }
export interface BoolNode { kind: 'bool'; pos: number; value: boolean }
/**
 * A numeric constant. Go keeps int/float views side by side; we keep the
 * value and whether Go would treat it as a float (it has `.`, `e` or `p`).
 */
export interface NumberNode { kind: 'number'; pos: number; text: string; value: number | bigint; isFloat: boolean }
export interface StringNode { kind: 'string'; pos: number; quoted: string; text: string }

export type ArgNode =
  | FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode | NilNode
  | BoolNode | NumberNode | StringNode | PipeNode;

export type AnyNode = Node | ArgNode | CommandNode | DelimNode;

function pipeString(p: PipeNode): string {
  let s = '';
  if (p.decl.length > 0) s = `${p.decl.map(nodeString).join(', ')} := `;
  return s + p.cmds.map(nodeString).join(' | ');
}

function argString(a: ArgNode): string {
  return a.kind === 'pipe' ? `(${pipeString(a)})` : nodeString(a);
}

/** Go's `Node.String()`. */
export function nodeString(n: AnyNode): string {
  switch (n.kind) {
    case 'text': return n.text;
    case 'action': return `{{${pipeString(n.pipe)}}}`;
    case 'if':
    case 'with':
    case 'range': {
      const tail = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.kind} ${pipeString(n.pipe)}}}${nodeString(n.list)}${tail}{{end}}`;
    }
    case 'template':
      return `{{template ${goQuote(n.name)}${n.pipe ? ` ${pipeString(n.pipe)}` : ''}}}`;
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'end': return '{{end}}';
    case 'else': return '{{else}}';
    case 'list': return n.nodes.map(nodeString).join('');
    case 'pipe': return pipeString(n);
    case 'command': return n.args.map(argString).join(' ');
    case 'field': return n.ident.map((f) => `.${f}`).join('');
    case 'variable': return n.ident.join('.');
    case 'chain': return argString(n.node) + n.field.map((f) => `.${f}`).join('');
    case 'identifier': return n.ident;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return n.value ? 'true' : 'false';
    case 'number': return n.text;
    case 'string': return n.quoted;
  }
}

/** Go's `parse.IsEmptyTree`: only whitespace text. */
export function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  if (n.kind === 'list') return n.nodes.every(isEmptyTree);
  if (n.kind === 'text') return n.text.trim() === '';
  return false;
}
