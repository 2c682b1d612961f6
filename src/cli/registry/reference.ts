/**
 * The reference handling pull and push need in the CLI (the CLI may not
 * import src/oci): docker's ParseNormalizedNamed, enough to validate a name,
 * add `:latest`, print the full reference (`docker.io/library/busybox:latest`)
 * and name the registry for credentials. Errors in docker's words.
 */
import { INDEX_NAME } from './credentials.ts';

export interface NamedReference {
  /** `docker.io`, `127.0.0.1:5000`. */
  domain: string;
  /** `library/busybox`. */
  path: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const DOMAIN = '(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?';
const RE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);

export function parseNamed(input: string): NamedReference {
  if (/^[a-f0-9]{64}$/.test(input)) throw new Error(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  const m = RE.exec(input);
  if (!m) {
    if (RE.test(input.toLowerCase())) throw new Error(`invalid reference format: repository name (${input.split(/[:@]/)[0]}) must be lowercase`);
    throw new Error('invalid reference format');
  }
  const name = m[1]!;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  let domain = INDEX_NAME;
  let path = name;
  if (slash !== -1 && (/[.:]/.test(first) || first === 'localhost')) {
    domain = first === 'index.docker.io' ? INDEX_NAME : first;
    path = name.slice(slash + 1);
  }
  if (domain === INDEX_NAME && !path.includes('/')) path = `library/${path}`;
  const ref: NamedReference = { domain, path };
  if (m[2] !== undefined) ref.tag = m[2];
  if (m[3] !== undefined) ref.digest = m[3];
  return ref;
}

export function isNameOnly(ref: NamedReference): boolean {
  return ref.tag === undefined && ref.digest === undefined;
}

/** reference.String(): the full form. */
export function formatNamed(ref: NamedReference): string {
  return `${ref.domain}/${ref.path}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** reference.FamiliarName(): the name without tag or digest, as users write it. */
export function familiarNamed(ref: NamedReference): string {
  if (ref.domain !== INDEX_NAME) return `${ref.domain}/${ref.path}`;
  return ref.path.startsWith('library/') && ref.path.indexOf('/', 8) === -1 ? ref.path.slice(8) : ref.path;
}
