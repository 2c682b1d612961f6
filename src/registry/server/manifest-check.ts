/**
 * Validation of a pushed manifest (pure): its JSON, its media type against
 * the request's Content-Type, what it references, its subject, and the
 * descriptor a referrers list shows for it (spec.md "Listing Referrers").
 */
import { MEDIA_TYPE } from '../../oci/media-types.ts';
import { RegistryError } from './errors.ts';
import { checkDigest } from './protocol.ts';
import type { Descriptor } from './registry-storage.ts';

export interface CheckedManifest {
  mediaType: string;
  /** Blobs that must exist in the repository (config, layers). */
  blobs: string[];
  /** Manifests that must exist in the repository (an index's entries). */
  manifests: string[];
  subject?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const INDEX_TYPES = new Set<string>([MEDIA_TYPE.ociIndex, MEDIA_TYPE.dockerManifestList]);
const MANIFEST_TYPES = new Set<string>([MEDIA_TYPE.ociManifest, MEDIA_TYPE.dockerManifest]);

const invalid = (why: string) => new RegistryError('MANIFEST_INVALID', `manifest invalid: ${why}`);

function descriptorDigest(d: unknown, what: string): string {
  const digest = d && typeof d === 'object' ? (d as Record<string, unknown>)['digest'] : undefined;
  if (typeof digest !== 'string' || checkDigest(digest) === 'invalid') throw invalid(`${what} has no valid digest`);
  return digest;
}

/** Check a manifest body sent with `contentType` (parameters stripped). */
export function checkManifest(body: Buffer, contentType: string | undefined): CheckedManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('not JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('not a JSON object');
  const m = doc as Record<string, unknown>;
  if (m['schemaVersion'] !== 2) throw invalid('schemaVersion must be 2');
  const declared = typeof m['mediaType'] === 'string' ? m['mediaType'] : undefined;
  const ct = contentType?.split(';')[0]?.trim() || undefined;
  if (declared && ct && declared !== ct) throw invalid(`mediaType ${declared} does not match Content-Type ${ct}`);
  const isIndex = Array.isArray(m['manifests']) && !('layers' in m);
  const mediaType = declared ?? ct ?? (isIndex ? MEDIA_TYPE.ociIndex : MEDIA_TYPE.ociManifest);
  if (INDEX_TYPES.has(mediaType) && !Array.isArray(m['manifests'])) throw invalid('an index needs manifests');
  if (MANIFEST_TYPES.has(mediaType) && (!m['config'] || !Array.isArray(m['layers']))) throw invalid('a manifest needs config and layers');
  const out: CheckedManifest = { mediaType, blobs: [], manifests: [] };
  if (Array.isArray(m['manifests'])) {
    for (const d of m['manifests']) out.manifests.push(descriptorDigest(d, 'a manifest entry'));
  }
  if (m['config'] !== undefined) out.blobs.push(descriptorDigest(m['config'], 'config'));
  if (Array.isArray(m['layers'])) {
    for (const d of m['layers']) {
      const digest = descriptorDigest(d, 'a layer');
      // Foreign layers live elsewhere (image-spec "non-distributable"): not required here.
      const mt = (d as Record<string, unknown>)['mediaType'];
      const urls = (d as Record<string, unknown>)['urls'];
      if (typeof mt === 'string' && (mt.includes('nondistributable') || mt.includes('foreign')) && Array.isArray(urls) && urls.length > 0) continue;
      out.blobs.push(digest);
    }
  }
  if (m['subject'] !== undefined) out.subject = descriptorDigest(m['subject'], 'subject');
  if (typeof m['artifactType'] === 'string') out.artifactType = m['artifactType'];
  else if (MANIFEST_TYPES.has(mediaType) || m['config']) {
    // spec: an image manifest without artifactType is listed with its config's media type.
    const cmt = (m['config'] as Record<string, unknown> | undefined)?.['mediaType'];
    if (typeof cmt === 'string') out.artifactType = cmt;
  }
  const ann = m['annotations'];
  if (ann && typeof ann === 'object' && !Array.isArray(ann)) out.annotations = ann as Record<string, string>;
  return out;
}

export function referrerDescriptor(m: CheckedManifest, digest: string, size: number): Descriptor {
  const d: Descriptor = { mediaType: m.mediaType, digest, size };
  if (m.artifactType !== undefined) d.artifactType = m.artifactType;
  if (m.annotations !== undefined) d.annotations = m.annotations;
  return d;
}
