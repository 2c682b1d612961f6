/**
 * YAML text → plain values, with what compose needs beyond plain YAML:
 * anchors and aliases, merge keys (`<<`), several documents in one file, and
 * the `!reset` / `!override` tags of the merge rules (13-merge.md), which are
 * returned as key paths beside the value (a `!reset` node is dropped from the
 * value). Parsing is the `yaml` package's; this module only walks its nodes.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { InvalidParameterError } from '../../util/errors.ts';

export type Path = (string | number)[];

export interface YamlDocument {
  value: unknown;
  /** Paths tagged `!reset`: removed from what earlier files gave, and from this value. */
  resets: Path[];
  /** Paths tagged `!override`: what earlier files gave is replaced, not merged. */
  overrides: Path[];
}

/** Parse every document of a compose file; `filename` is only for messages. */
export function parseYamlDocuments(text: string, filename: string): YamlDocument[] {
  const docs = parseAllDocuments(text, { merge: true, uniqueKeys: true, strict: false });
  if (!Array.isArray(docs)) return [];
  const out: YamlDocument[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw new InvalidParameterError(`failed to parse ${filename}: ${err.message.split('\n')[0]}`);
    const walker = new Walker(doc);
    const value = walker.toJs(doc.contents as Node | null, []);
    if (value === undefined && doc.contents === null) continue;
    out.push({ value, resets: walker.resets, overrides: walker.overrides });
  }
  return out;
}

class Walker {
  resets: Path[] = [];
  overrides: Path[] = [];
  private depth = 0;

  constructor(private readonly doc: Document) {}

  toJs(node: Node | null | undefined, path: Path): unknown {
    if (node === null || node === undefined) return null;
    // Guard against alias bombs ("billion laughs"): compose-go caps node visits too.
    if (++this.depth > 10_000_000) throw new InvalidParameterError('yaml: document contains excessive aliasing');
    if (isAlias(node)) return this.toJs(node.resolve(this.doc) as Node | undefined, path);
    const tag = (node as { tag?: string }).tag;
    if (tag === '!reset') {
      this.resets.push(path);
      return RESET;
    }
    if (tag === '!override') this.overrides.push(path);
    if (isScalar(node)) {
      // go-yaml reads a plain integer with a leading 0 as octal (`mode: 0440`), as YAML 1.1 did.
      if (typeof node.value === 'number' && node.type === 'PLAIN' && typeof node.source === 'string' && /^[-+]?0[0-7]+$/.test(node.source)) {
        return Number.parseInt(node.source, 8);
      }
      return node.value;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        const v = this.toJs(item as Node, [...path, i]);
        if (v !== RESET) out.push(v);
      });
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merged: Record<string, unknown>[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        // The yaml package marks a merge key with a symbol value (option `merge`).
        if (isScalar(keyNode) && (typeof keyNode.value === 'symbol' || (keyNode.value === '<<' && keyNode.type === 'PLAIN'))) {
          merged.push(...this.mergeSources(pair.value as Node, path));
          continue;
        }
        const key = keyNode && (isScalar(keyNode) || isAlias(keyNode)) ? this.toJs(keyNode, path) : keyNode;
        if (key !== null && typeof key === 'object') throw new InvalidParameterError(`non-string key ${path.join('.')}: ${JSON.stringify(key)}`);
        const name = String(key);
        const v = this.toJs(pair.value as Node | null, [...path, name]);
        if (v !== RESET) out[name] = v;
      }
      // Merge keys never override keys written in the mapping itself; earlier sources win over later ones.
      for (const src of merged) for (const [k, v] of Object.entries(src)) if (!(k in out)) out[k] = v;
      return out;
    }
    return null;
  }

  private mergeSources(node: Node, path: Path): Record<string, unknown>[] {
    const target = isAlias(node) ? (node.resolve(this.doc) as Node) : node;
    if (isSeq(target)) return target.items.flatMap((i) => this.mergeSources(i as Node, path));
    const v = this.toJs(target, path);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidParameterError('map merge requires map or sequence of maps as the value');
    return [v as Record<string, unknown>];
  }
}

const RESET = Symbol('reset');
