/**
 * The volumes short syntax (`SOURCE:TARGET[:OPTIONS]`, `TARGET`) into its
 * long form, as compose-go's format.ParseVolume: a source starting with `.`,
 * `/` or `~` is a bind (create_host_path), anything else a named volume;
 * options `ro`, `rw`, `nocopy`, propagation and SELinux `z`/`Z`.
 */
import type { ServiceVolume } from './model.ts';

const PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);

function isFilePath(source: string): boolean {
  if (source === '') return false;
  if ('./~'.includes(source[0] as string)) return true;
  if (source.startsWith('\\\\')) return true;
  return /^[a-zA-Z]:/.test(source) && source.length > 1;
}

export function parseVolumeSpec(spec: string): ServiceVolume {
  if (spec.length === 0) throw new Error('invalid empty volume spec');
  const vol: Partial<ServiceVolume> & { target?: string } = {};
  if (spec.length <= 2) return { type: 'volume', target: spec };
  const fields: string[] = [];
  let buf = '';
  let depth = 0;
  const chars = [...spec];
  for (let i = 0; i <= chars.length; i++) {
    const ch = chars[i];
    if (ch === '$' && chars[i + 1] === '{') {
      depth++;
      buf += ch;
      continue;
    }
    if (ch === '}' && depth > 0) {
      depth--;
      buf += ch;
      continue;
    }
    if (ch === ':' && buf.length === 1 && /[a-zA-Z]/.test(buf) && fields.length === 0) {
      buf += ch; // a Windows drive letter
      continue;
    }
    if ((ch === ':' || ch === undefined) && depth === 0) {
      if (buf === '') throw new Error(`invalid spec: ${spec}: empty section between colons`);
      if (ch === ':' && fields.length === 2) throw new Error(`invalid spec: ${spec}: too many colons`);
      fields.push(buf);
      buf = '';
      continue;
    }
    buf += ch;
  }
  if (fields.length === 1) vol.target = fields[0];
  else {
    vol.source = fields[0];
    vol.target = fields[1];
  }
  for (const opt of fields[2]?.split(',') ?? []) {
    if (opt === 'ro') vol.read_only = true;
    else if (opt === 'rw') vol.read_only = false;
    else if (opt === 'nocopy') vol.volume = { nocopy: true };
    else if (PROPAGATIONS.has(opt)) vol.bind = { ...vol.bind, propagation: opt };
    else if (opt === 'z' || opt === 'Z') vol.bind = { ...vol.bind, selinux: opt };
  }
  if (vol.source !== undefined && isFilePath(vol.source)) {
    vol.type = 'bind';
    vol.bind = { ...vol.bind, create_host_path: true };
    delete vol.volume;
  } else {
    vol.type = 'volume';
    vol.volume ??= {};
  }
  if (!vol.read_only) delete vol.read_only;
  return { type: vol.type, ...(vol.source !== undefined && { source: vol.source }), target: vol.target as string, ...vol } as ServiceVolume;
}
