/** The loader's file access on a real filesystem (node:fs, which Bun implements too). */
import { readFileSync, statSync } from 'node:fs';
import type { DiscoveryIO } from './project-options.ts';

export function nodeIO(stdin?: () => string): DiscoveryIO & { stdin?: () => string } {
  return {
    kind(path) {
      try {
        return statSync(path).isDirectory() ? 'dir' : 'file';
      } catch {
        return undefined; // missing or unreadable: compose treats both as absent
      }
    },
    readFile(path) {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined; // absent (the caller words the error)
      }
    },
    ...(stdin && { stdin }),
  };
}
