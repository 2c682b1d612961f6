// npm run build: the native addon (node-gyp), then one bundled CommonJS file
// per executable in bin/ (fast start: one file to load, no TypeScript at run time).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, writeFileSync, chmodSync, statSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const addon = 'native/build/Release/berth.node';
const stale = !existsSync(addon) || statSync('native/berth.c').mtimeMs > statSync(addon).mtimeMs;
if (stale) {
  const nodedir = existsSync('/usr/include/node/node_api.h') ? ['--nodedir=/usr'] : [];
  execFileSync(path.join(root, 'node_modules/.bin/node-gyp'), ['rebuild', ...nodedir], { cwd: 'native', stdio: ['ignore', 'ignore', 'inherit'] });
}
mkdirSync('bin', { recursive: true });
// Replace, never overwrite in place: a running berthd has the addon mapped,
// and truncating a mapped library under it crashes it (SIGBUS).
if (!existsSync('bin/berth.node') || !readFileSync(addon).equals(readFileSync('bin/berth.node'))) {
  copyFileSync(addon, 'bin/berth.node.tmp');
  renameSync('bin/berth.node.tmp', 'bin/berth.node');
}
// bin/ holds CommonJS bundles whatever the root package.json says.
writeFileSync('bin/package.json', '{ "type": "commonjs" }\n');

// The CLI's start-up is on every command's path. Measured here (2026-11-23,
// against one berthd): `berth version` 103 ms as a Node bundle, 45 ms as a
// Bun-compiled executable (the docker CLI: 13 ms); `berth run --rm busybox
// true` 177 ms vs 128 ms (docker: 95 ms). So bin/berth is compiled with Bun
// (npm package `bun`) when it is installed; the Node bundle stays as the
// fallback and as bin/berth-node. src/cli and src/client use node: APIs,
// except src/client/bun-transport.ts (Bun's fetch and sockets), loaded only under Bun.
const bun = path.join(root, 'node_modules/.bin/bun');
const entries = { berthd: 'src/bin/berthd.ts', [existsSync(bun) ? 'berth-node' : 'berth']: 'src/bin/berth.ts' };
await Promise.all(
  Object.entries(entries).map(([name, entry]) =>
    build({
      entryPoints: [entry],
      outfile: `bin/${name}`,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // The daemon's map is a file beside it (bin/berthd.map), not inline: V8
      // keeps a script's whole text, and an inline map doubled it.
      sourcemap: name === 'berthd' ? 'external' : false,
      // The daemon's young generation is kept small (2 MiB semi-spaces, not
      // 16): its allocations are short-lived request garbage, and the idle RSS
      // drops by about 4 MiB.
      // Its old generation starts with a 64 MiB allocation limit: V8 counts the
      // Buffers allocated since the last mark-compact against that limit, and a
      // pull (or load) goes through about 600 MB of them for 200 MB of layers;
      // with the default limit (about 10 MiB above a 9 MiB heap) that was one
      // full GC every 10 MB, some 60 per pull and a fifth of its CPU. Idle RSS
      // at start is unchanged; after a pull it is higher until the next GC.
      banner: { js: `#!/usr/bin/env ${name === 'berthd' ? '-S node --max-semi-space-size=2 --initial-old-space-size=64' : 'node'}\nconst __importMetaUrl = require("node:url").pathToFileURL(__filename).href;` },
      define: { 'import.meta.url': '__importMetaUrl' },
      logLevel: 'warning',
    }),
  ),
);
for (const name of Object.keys(entries)) chmodSync(`bin/${name}`, 0o755);
if (existsSync(bun)) {
  // --bytecode ships JavaScriptCore bytecode instead of source: `berth --help`
  // starts in 10 ms instead of 28 (parsing the whole CLI was most of it).
  // --format=cjs (already the default with --bytecode) keeps each module's
  // require() of a node: builtin inside the module's lazy initialiser, so a
  // builtin costs start-up only to commands that load its module; an ESM
  // bundle hoists every builtin import to the top of the file.
  // --compile-jit-policy=100 makes the JIT 100 times more reluctant to tier
  // up: a command's run-once start-up code stays in the interpreter instead
  // of being compiled (`berth version`: 17 -> 12.5 ms CPU, `--help` 10 -> 8.5
  // ms); loops of long commands (logs, save, attach) still tier up, and
  // measured no slower.
  // No .env or bunfig.toml autoload: the docker CLI reads neither, and a
  // .env with DOCKER_HOST in the working directory must not redirect berth.
  const flags = ['--compile', '--minify', '--bytecode', '--format=cjs', '--compile-jit-policy=100', '--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig'];
  execFileSync(bun, ['build', ...flags, 'src/bin/berth.ts', '--outfile', 'bin/berth'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
