// npm run build: the native addon (node-gyp), then one bundled CommonJS file
// per executable in bin/ (fast start: one file to load, no TypeScript at run time).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
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
copyFileSync(addon, 'bin/berth.node');
// bin/ holds CommonJS bundles whatever the root package.json says.
writeFileSync('bin/package.json', '{ "type": "commonjs" }\n');

const entries = { berthd: 'src/bin/berthd.ts', berth: 'src/bin/berth.ts' };
await Promise.all(
  Object.entries(entries).map(([name, entry]) =>
    build({
      entryPoints: [entry],
      outfile: `bin/${name}`,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'inline',
      banner: { js: '#!/usr/bin/env node\nconst __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__importMetaUrl' },
      logLevel: 'warning',
    }),
  ),
);
for (const name of Object.keys(entries)) chmodSync(`bin/${name}`, 0o755);
