/**
 * Docker image references (distribution/reference, normalized the Docker way):
 * `busybox` → `docker.io/library/busybox:latest`, `localhost:5000/a/b:tag`,
 * `name@sha256:…`. Pure parsing; errors are InvalidParameterError with Docker's
 * words ("invalid reference format…").
 */
import { InvalidParameterError } from '../util/errors.ts';
import type { Digest } from './digest.ts';

export const DEFAULT_DOMAIN = 'docker.io';
export const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
const LEGACY_DOMAIN = 'index.docker.io';
const NAME_MAX = 255;

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const NAME = `(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*`;
const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const HEX64_RE = /^[a-f0-9]{64}$/;

/** A normalized reference: `domain/path[:tag][@digest]`. */
export interface Reference {
  domain: string;
  path: string;
  tag?: string;
  digest?: Digest;
}

function invalid(detail?: string): InvalidParameterError {
  return new InvalidParameterError(detail ? `invalid reference format: ${detail}` : 'invalid reference format');
}

function splitDomain(name: string): { domain: string; path: string } {
  const i = name.indexOf('/');
  let domain: string;
  let rest: string;
  const first = i === -1 ? '' : name.slice(0, i);
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    rest = name;
  } else {
    domain = first;
    rest = name.slice(i + 1);
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !rest.includes('/')) rest = OFFICIAL_REPO_PREFIX + rest;
  return { domain, path: rest };
}

/**
 * Parse and normalize a reference as Docker's ParseNormalizedNamed does. No
 * default tag is added (see `withDefaultTag`).
 */
export function parseReference(input: string): Reference {
  if (HEX64_RE.test(input)) {
    throw new InvalidParameterError(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  }
  const m = REFERENCE_RE.exec(input);
  if (!m) {
    // Docker reports uppercase names specially when the rest would be valid.
    const lowered = input.toLowerCase();
    if (lowered !== input && REFERENCE_RE.test(lowered)) throw invalid('repository name must be lowercase');
    if (input === '') throw invalid();
    throw invalid();
  }
  const name = m[1]!;
  const { domain, path } = splitDomain(name);
  if (path.toLowerCase() !== path) throw invalid('repository name must be lowercase');
  if (`${domain}/${path}`.length > NAME_MAX) throw invalid('repository name must not be more than 255 characters');
  const ref: Reference = { domain, path };
  if (m[2] !== undefined) ref.tag = m[2];
  if (m[3] !== undefined) {
    if (!m[3].startsWith('sha256:') || !/^sha256:[a-f0-9]{64}$/.test(m[3])) {
      throw new InvalidParameterError(m[3].startsWith('sha256:') ? 'invalid checksum digest length' : 'unsupported digest algorithm');
    }
    ref.digest = m[3] as Digest;
  }
  return ref;
}

/** True when `input` parses as a reference. */
export function isReference(input: string): boolean {
  try {
    parseReference(input);
    return true;
  } catch {
    return false;
  }
}

/** Docker's TagNameOnly: a name without tag or digest gets `:latest`. */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** Parse, normalize and add `:latest` when neither tag nor digest is given. */
export function parseNormalizedTagged(input: string): Reference {
  return withDefaultTag(parseReference(input));
}

/** Validate a bare tag (`docker tag x repo:TAG`). */
export function parseTag(tag: string): string {
  if (!TAG_RE.test(tag)) throw invalid();
  return tag;
}

/** The full repository name: `docker.io/library/busybox`. */
export function repositoryName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The full normalized string: `docker.io/library/busybox:latest`. */
export function formatReference(ref: Reference): string {
  let s = repositoryName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** The repository as users write it: `busybox`, `a/b`, `localhost:5000/a/b`. */
export function familiarRepository(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  return ref.path.startsWith(OFFICIAL_REPO_PREFIX) ? ref.path.slice(OFFICIAL_REPO_PREFIX.length) : ref.path;
}

/** The reference as Docker displays it: `busybox:latest`, `a/b@sha256:…`. */
export function familiarName(ref: Reference): string {
  let s = familiarRepository(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}
