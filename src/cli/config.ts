/**
 * The client config directory, read like Docker's: --config, then
 * DOCKER_CONFIG, then ~/.docker; config.json holds psFormat, imagesFormat, networksFormat, volumesFormat,
 * detachKeys, currentContext (and credentials, which the CLI passes on untouched).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ConfigFile {
  psFormat?: string;
  imagesFormat?: string;
  networksFormat?: string;
  volumesFormat?: string;
  statsFormat?: string;
  detachKeys?: string;
  currentContext?: string;
  [k: string]: unknown;
}

export function configDir(flag: string, env: Record<string, string | undefined>): string {
  if (flag) return flag;
  if (env['DOCKER_CONFIG']) return env['DOCKER_CONFIG'];
  return path.join(env['HOME'] || os.homedir(), '.docker');
}

/** config.json's contents; an absent file is an empty config, a corrupt one an error like docker's. */
export function loadConfigFile(dir: string): ConfigFile {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as ConfigFile;
  } catch (err) {
    throw new Error(`loading config file: ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
