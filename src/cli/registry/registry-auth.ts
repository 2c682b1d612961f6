/** The X-Registry-Auth a command sends for a registry: what config.json holds for it (`e30=` when nothing). */
import type { Cli } from '../cli.ts';
import { encodeAuthHeader, lookupAuth } from './credentials.ts';

export function registryAuthFor(cli: Cli, registry: string): string {
  return encodeAuthHeader(lookupAuth(cli.config, registry));
}
