/**
 * Validation of an instruction's `--flags` (moby/buildkit
 * instructions/bflag.go), with Docker 20.10 classic builder's words
 * (`Unknown flag: foo`). The flags each instruction accepts are BuildKit's.
 */
import type { Flag } from './ast.ts';
import { InstructionError } from './parse-errors.ts';

export type FlagType = 'string' | 'strings' | 'bool';
export type FlagSpec = Readonly<Record<string, FlagType>>;

export const COPY_FLAGS: FlagSpec = { from: 'string', chown: 'string', chmod: 'string', link: 'bool', exclude: 'strings', parents: 'bool' };
export const ADD_FLAGS: FlagSpec = {
  chown: 'string', chmod: 'string', link: 'bool', 'keep-git-dir': 'bool', checksum: 'string', unpack: 'bool', exclude: 'strings',
};
export const RUN_FLAGS: FlagSpec = { mount: 'strings', network: 'string', security: 'string' };
export const FROM_FLAGS: FlagSpec = { platform: 'string' };
export const HEALTHCHECK_FLAGS: FlagSpec = {
  interval: 'string', timeout: 'string', 'start-period': 'string', 'start-interval': 'string', retries: 'string',
};
export const NO_FLAGS: FlagSpec = {};

/** Checks the flags against the spec and returns them as name/value pairs, in order; a `--` ends them. */
export function parseFlags(words: readonly string[], spec: FlagSpec): Flag[] {
  const out: Flag[] = [];
  const used = new Set<string>();
  for (const word of words) {
    if (!word.startsWith('--')) throw new InstructionError(`Arg should start with -- : ${word}`);
    if (word === '--') break;
    const eq = word.indexOf('=');
    const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
    const value = eq >= 0 ? word.slice(eq + 1) : undefined;
    const type = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (type === undefined) throw new InstructionError(`Unknown flag: ${name}`);
    if (used.has(name) && type !== 'strings') throw new InstructionError(`Duplicate flag specified: ${name}`);
    used.add(name);
    if (type === 'bool') {
      if (value === '') throw new InstructionError(`Missing a value on flag: ${name}`);
      const lower = value?.toLowerCase();
      if (lower !== undefined && lower !== 'true' && lower !== 'false') {
        throw new InstructionError(`Expecting boolean value for flag ${name}, not: ${value}`);
      }
    } else if (value === undefined) {
      throw new InstructionError(`Missing a value on flag: ${name}`);
    }
    out.push(value === undefined ? { name } : { name, value });
  }
  return out;
}

/** The value of a flag the spec knows (the last one for a repeated flag). */
export function flagValue(flags: readonly Flag[], name: string): string | undefined {
  let v: string | undefined;
  for (const f of flags) if (f.name === name) v = f.value ?? 'true';
  return v;
}
