// Enforces STYLE.md's dependency table (which src/ folder may import which)
// and forbids import cycles among the files of src/engine and among those of
// src/api (issue 8). A cycle counts whatever its imports are: `import type`,
// `export … from` and `import('…')` included, since a type cycle still ties
// the files together (neither can be understood, moved or split alone).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'src');
const ALLOWED = {
  util: [], wire: [],
  oci: ['util'],
  store: ['oci', 'util'],
  // drivers read the API's config and stats shapes (the engine hands records' objects through as they are), types only.
  drivers: ['oci', 'util', 'wire:type'],
  registry: ['store', 'oci', 'util'],
  engine: ['registry', 'drivers', 'store', 'oci', 'util', 'wire:type'],
  api: ['engine', 'wire', 'oci', 'util'],
  client: ['wire', 'util'],
  compose: ['client', 'wire', 'util'],
  cli: ['client', 'compose', 'wire', 'util'],
  bin: ['*'],
};
/** Folders whose files may not import each other in a cycle (at any depth below them). */
const ACYCLIC = ['engine', 'api'];

const problems = [];
/** For each file of an ACYCLIC folder (relative to src/), the files of the same folder it imports. */
const graphs = new Map(ACYCLIC.map((f) => [f, new Map()]));

function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) check(p);
  }
}

/**
 * The relative specifiers a file imports, with whether the import is type-only.
 * Comments are dropped first so that an example in a comment is no import.
 */
function importsOf(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const out = [];
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.[^'"]+)['"]/gm)) out.push({ spec: m[3], isType: Boolean(m[2]) });
  for (const m of code.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm)) out.push({ spec: m[1], isType: false });
  // `import('./x.ts')`, as a dynamic import or in a type position: a dependency either way.
  for (const m of code.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push({ spec: m[1], isType: false });
  return out;
}

function check(file) {
  const rel = path.relative(root, file);
  const from = rel.split(path.sep)[0];
  const allowed = ALLOWED[from];
  const text = readFileSync(file, 'utf8');
  const edges = graphs.get(from);
  if (edges && !edges.has(rel)) edges.set(rel, new Set());
  for (const { spec, isType } of importsOf(text)) {
    const targetRel = path.relative(root, path.resolve(path.dirname(file), spec));
    // A route depends on its resource's narrow backend, never on the whole engine (api/backends.ts wires them).
    if (rel.startsWith(`api${path.sep}routes${path.sep}`) && targetRel === path.join('engine', 'engine.ts')) {
      problems.push(`${rel}: a route may not import engine/engine.ts (declare a backend interface)`);
    }
    const target = targetRel.split(path.sep)[0];
    if (target === from) {
      edges?.get(rel).add(targetRel);
      continue;
    }
    if (!allowed || allowed.includes('*') || target.startsWith('..')) continue;
    if (allowed.includes(target) || (isType && allowed.includes(`${target}:type`))) continue;
    if (file.endsWith('.test.ts') && target === 'util') continue;
    problems.push(`${rel}: ${from}/ may not import ${target}/ (${spec})`);
  }
}

/** Strongly connected components of a graph (Tarjan), those with a cycle only. */
function cyclicComponents(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue; // an import of a file that is not there: tsc reports it
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) components.push(new Set(component));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components;
}

/** The shortest cycle through `start` inside `component` (breadth first), as a list of files. */
function shortestCycle(graph, component, start) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!component.has(w)) continue;
      if (w === start) {
        const chain = [];
        for (let u = v; u !== undefined; u = previous.get(u)) chain.unshift(u);
        return chain;
      }
      if (previous.has(w)) continue;
      previous.set(w, v);
      queue.push(w);
    }
  }
  return [start];
}

/**
 * Every file of a cyclic component lies on at least one of the cycles
 * printed: the shortest through each file, each cycle once (rotated to start
 * at its smallest file name).
 */
function cycles(graph) {
  const out = new Map();
  for (const component of cyclicComponents(graph)) {
    for (const start of [...component].sort()) {
      const chain = shortestCycle(graph, component, start);
      const first = chain.indexOf([...chain].sort()[0]);
      const rotated = [...chain.slice(first), ...chain.slice(0, first)];
      out.set(rotated.join(' '), rotated);
    }
  }
  return [...out.values()];
}

walk(root);
for (const graph of graphs.values()) {
  for (const chain of cycles(graph)) problems.push(`import cycle: ${[...chain, chain[0]].join(' -> ')}`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layers ok');
