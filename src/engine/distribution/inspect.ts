/**
 * `GET /distribution/{name}/json` (`docker manifest inspect`'s daemon side,
 * used by `docker service create`): the descriptor of what the reference
 * names in the registry, and the platforms it offers (an index's entries,
 * or the single manifest's config's os/architecture), as dockerd 20.10.
 */
import type { ImageConfig, ImageIndex, ImageManifest } from '../../oci/image.ts';
import { isIndexMediaType } from '../../oci/media-types.ts';
import { parseReference, withDefaultTag } from '../../oci/reference.ts';
import { Authenticator, type AuthConfig } from '../../registry/client/auth.ts';
import { readBody } from '../../registry/client/http.ts';
import { RegistryError } from '../../registry/client/registry-client.ts';
import { NotFoundError, SystemError } from '../../util/errors.ts';
import type { Puller } from './pull.ts';

export interface DistributionInspect {
  Descriptor: { mediaType: string; digest: string; size: number };
  Platforms: { architecture: string; os: string; 'os.version'?: string; 'os.features'?: string[]; variant?: string }[];
}

type PlatformOut = DistributionInspect['Platforms'][number];

function platformOut(p: { architecture?: string; os?: string; 'os.version'?: string; 'os.features'?: string[]; variant?: string }): PlatformOut {
  const out: PlatformOut = { architecture: p.architecture ?? '', os: p.os ?? '' };
  if (p['os.version']) out['os.version'] = p['os.version'];
  if (p['os.features']?.length) out['os.features'] = p['os.features'];
  if (p.variant) out.variant = p.variant;
  return out;
}

export async function distributionInspect(puller: Puller, name: string, auth: AuthConfig = {}): Promise<DistributionInspect> {
  const ref = withDefaultTag(parseReference(name));
  try {
    return await puller.withEndpoint(ref, new Authenticator(auth), async (client) => {
      const head = ref.digest ? undefined : await client.headManifest(ref.tag!);
      if (!ref.digest && !head) throw new RegistryError(404, [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }], 'manifest unknown: manifest unknown');
      const m = await client.getManifest(ref.digest ?? head!.digest ?? ref.tag!);
      const doc = JSON.parse(m.bytes.toString('utf8')) as Partial<ImageManifest & ImageIndex>;
      const Descriptor = { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length };
      if (isIndexMediaType(m.mediaType) || Array.isArray(doc.manifests)) {
        return { Descriptor, Platforms: (doc.manifests ?? []).filter((e) => e.platform).map((e) => platformOut(e.platform!)) };
      }
      const { stream } = await client.getBlob(doc.config!.digest);
      const config = JSON.parse((await readBody(stream, 64 << 20)).toString('utf8')) as ImageConfig;
      return { Descriptor, Platforms: [platformOut(config)] };
    });
  } catch (err) {
    // The pull's words name the reference; dockerd's distribution route gives the registry's cause alone.
    if (err instanceof NotFoundError) {
      const cause = /: ((?:manifest unknown|name unknown|denied): .*)$/.exec(err.message);
      throw new NotFoundError(cause ? cause[1]! : err.message);
    }
    if (err instanceof SystemError) throw err;
    throw err;
  }
}
