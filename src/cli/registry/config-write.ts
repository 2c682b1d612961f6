/** Write config.json as the docker CLI does: a temp file beside it (0600), then a rename over it. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeConfigFile(dir: string, text: string): string {
  const file = path.join(dir, 'config.json');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.config.json.${process.pid}.tmp`);
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
  return file;
}
