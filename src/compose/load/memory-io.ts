/** The loader's file access over an in-memory tree of files (tests, and callers that hold compose files in memory). */
import path from 'node:path';
import type { DiscoveryIO } from './project-options.ts';

export function memoryIO(files: Record<string, string>, stdin?: string): DiscoveryIO & { stdin?: () => string } {
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) for (let d = path.dirname(f); ; d = path.dirname(d)) {
    dirs.add(d);
    if (d === path.dirname(d)) break;
  }
  return {
    kind: (p) => (p in files ? 'file' : dirs.has(p) ? 'dir' : undefined),
    readFile: (p) => files[p],
    ...(stdin !== undefined && { stdin: () => stdin }),
  };
}
