/**
 * The Debian mirrors this host's apt uses, read from /etc/apt/sources.list
 * and /etc/apt/sources.list.d (one-line `.list` and deb822 `.sources`
 * files): `berth image bootstrap debian:…` fetches from the same archive as
 * the host, never from a registry. Parsing is pure; only `hostDebianMirrors`
 * reads files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
}

/** One-line format: `deb [opt=v …] URI SUITE [COMPONENT…]`; comments and blank lines skipped. */
export function parseOneLineSources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, suite] = line.split(/\s+/);
    if (!type || !uri || !suite) continue;
    out.push({ types: [type], uris: [uri], suites: [suite] });
  }
  return out;
}

/** deb822 format: stanzas of `Field: value` separated by blank lines; `Enabled: no` skipped. */
export function parseDeb822Sources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      const m = /^([\w-]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    const list = (k: string) => (fields.get(k) ?? '').split(/\s+/).filter(Boolean);
    const source = { types: list('types'), uris: list('uris'), suites: list('suites') };
    if (source.types.length && source.uris.length && source.suites.length) out.push(source);
  }
  return out;
}

export interface DebianMirrors {
  /** The Debian archive (a URI whose path ends in /debian). */
  archive?: string;
  /** The security archive, when the host uses one (a source of a `*-security` suite). */
  security?: string;
}

/** The first binary (`deb`) Debian archive and security mirror among `sources`. */
export function pickDebianMirrors(sources: readonly AptSource[]): DebianMirrors {
  const found: DebianMirrors = {};
  for (const s of sources) {
    if (!s.types.includes('deb')) continue;
    for (const raw of s.uris) {
      const uri = raw.replace(/\/+$/, '');
      if (!/^https?:\/\//.test(uri)) continue;
      if (s.suites.some((suite) => suite.endsWith('-security'))) found.security ??= uri;
      else if (/\/debian$/.test(uri)) found.archive ??= uri;
    }
  }
  return found;
}

/** The host's Debian mirrors (`root` for tests: a directory standing for /etc/apt). */
export async function hostDebianMirrors(root = '/etc/apt'): Promise<DebianMirrors> {
  const sources: AptSource[] = [];
  const read = async (file: string) => fs.readFile(file, 'utf8').catch(() => '');
  sources.push(...parseOneLineSources(await read(path.join(root, 'sources.list'))));
  const dir = path.join(root, 'sources.list.d');
  const names = (await fs.readdir(dir).catch(() => [] as string[])).sort();
  for (const name of names) {
    if (name.endsWith('.list')) sources.push(...parseOneLineSources(await read(path.join(dir, name))));
    else if (name.endsWith('.sources')) sources.push(...parseDeb822Sources(await read(path.join(dir, name))));
  }
  return pickDebianMirrors(sources);
}
