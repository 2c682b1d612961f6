// npm test's runner: type check and layer check, then unit tests (src/**/*.test.ts),
// integration tests (test/integration/**) and conformance tests (test/conformance/**),
// each file under node's test runner with TypeScript loaded by tsx.
// `node scripts/test.mjs [unit|integration|conformance|check] [filter]` runs one part.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const [part, filter] = process.argv.slice(2);

function find(dir, suffix) {
  const out = [];
  let names = [];
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names.sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p, suffix));
    else if (p.endsWith(suffix)) out.push(p);
  }
  return out;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status ?? 1;
}

let failed = 0;
if (!part || part === 'check') {
  console.log('# type check');
  failed |= run('node_modules/.bin/tsc', ['--noEmit', '-p', '.']);
  console.log('# layer check');
  failed |= run('node', ['scripts/check-layers.mjs']);
}
const suites = {
  unit: () => find('src', '.test.ts'),
  integration: () => find('test/integration', '.test.ts'),
  conformance: () => find('test/conformance', '.test.ts'),
};
const files = [];
for (const name of ['unit', 'integration']) {
  if (part && part !== name) continue;
  files.push(...suites[name]().filter((f) => !filter || f.includes(filter)));
}
if (!part || part === 'conformance') {
  // Conformance runs against one private berthd, with the docker CLI and with berth in turn.
  const conformance = suites.conformance().filter((f) => !filter || f.includes(filter));
  if (conformance.length > 0) failed |= run('node', ['--import', 'tsx', 'test/conformance/run.ts', ...conformance]);
}
if (files.length > 0) {
  // One process for unit and integration files: its closing summary is what CI reads, so it runs last.
  failed |= run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]);
}
process.exit(failed ? 1 : 0);
