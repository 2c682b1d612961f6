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

/** docker's splitDockerDomain: a first component with `.` or `:`, `localhost`, or an upper-case letter is a host. */
function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    return { domain: INDEX_NAME, path: name.includes('/') ? name : `library/${name}` };
  }
  const domain = first === 'index.docker.io' ? INDEX_NAME : first;
  const path = name.slice(slash + 1);
  return { domain, path: domain === INDEX_NAME && !path.includes('/') ? `library/${path}` : path };
}

export function parseNamed(input: string): NamedReference {
  if (/^[a-f0-9]{64}$/.test(input)) throw new Error(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  const { domain, path: remainder } = splitDomain(input);
  const remote = remainder.split(/[:@]/)[0] ?? '';
  if (remote.toLowerCase() !== remote) throw new Error(`invalid reference format: repository name (${remote}) must be lowercase`);
  const m = RE.exec(input);
  if (!m) throw new Error('invalid reference format');
  const { path } = splitDomain(m[1]!);
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
