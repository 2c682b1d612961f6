// Enforces STYLE.md's dependency table: which src/ folder may import which.
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
const problems = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) check(p);
  }
}
function check(file) {
  const from = path.relative(root, file).split(path.sep)[0];
  const allowed = ALLOWED[from];
  if (!allowed || allowed.includes('*')) return;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const target = path.relative(root, path.resolve(path.dirname(file), m[3])).split(path.sep)[0];
    if (target === from || target.startsWith('..')) continue;
    const isType = Boolean(m[2]);
    if (allowed.includes(target) || (isType && allowed.includes(`${target}:type`))) continue;
    if (file.endsWith('.test.ts') && target === 'util') continue;
    problems.push(`${path.relative(root, file)}: ${from}/ may not import ${target}/ (${m[3]})`);
  }
}
walk(root);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layers ok');
