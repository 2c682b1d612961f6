/**
 * Content digests (OCI image spec, descriptor.md "Digests"). Three branded
 * strings that never pass for one another:
 * - `Digest`: `sha256:<hex>` of any blob (config, manifest, compressed layer);
 * - `DiffId`: the digest of an *uncompressed* layer tar (config `rootfs.diff_ids`);
 * - `ChainId`: identifies a stack of layers (config.md "Layer ChainID").
 */
import { createHash } from 'node:crypto';
import { InvalidParameterError } from '../util/errors.ts';

export type Digest = string & { readonly __brand: 'Digest' };
export type DiffId = string & { readonly __brand: 'DiffId' };
export type ChainId = string & { readonly __brand: 'ChainId' };

const SHA256_RE = /^sha256:[a-f0-9]{64}$/;
const HEX_RE = /^[a-f0-9]{64}$/;

/** Lowercase hex sha256 of `data`. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256:<hex>` of `data`. */
export function sha256Digest(data: string | Buffer): Digest {
  return `sha256:${sha256Hex(data)}` as Digest;
}

export function isDigest(value: string): value is Digest {
  return SHA256_RE.test(value);
}

export function isSha256Hex(value: string): boolean {
  return HEX_RE.test(value);
}

/** Validate a `sha256:<hex>` string; only sha256 is supported (as in Docker 20.10). */
export function parseDigest(value: string): Digest {
  if (isDigest(value)) return value;
  if (/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(value) && !value.startsWith('sha256:')) {
    throw new InvalidParameterError(`unsupported digest algorithm: ${value}`);
  }
  throw new InvalidParameterError(`invalid checksum digest format`);
}

/** The hex part of a digest, used for file names. */
export function digestHex(digest: Digest | DiffId | ChainId): string {
  return digest.slice('sha256:'.length);
}

export function asDiffId(digest: Digest | string): DiffId {
  return parseDigest(digest) as string as DiffId;
}

export function asChainId(digest: Digest | string): ChainId {
  return parseDigest(digest) as string as ChainId;
}

/**
 * ChainID(L0) = DiffID(L0); ChainID(L0|…|Ln) = sha256(ChainID(L0|…|Ln-1) + " " + DiffID(Ln)).
 * Returns the chain IDs of every prefix, bottom layer first.
 */
export function chainIds(diffIds: readonly DiffId[]): ChainId[] {
  const out: ChainId[] = [];
  let previous: ChainId | undefined;
  for (const diffId of diffIds) {
    previous = previous === undefined ? (diffId as string as ChainId) : (sha256Digest(`${previous} ${diffId}`) as string as ChainId);
    out.push(previous);
  }
  return out;
}

/** The chain ID of the whole stack, or undefined for an image without layers. */
export function chainId(diffIds: readonly DiffId[]): ChainId | undefined {
  return chainIds(diffIds).at(-1);
}
