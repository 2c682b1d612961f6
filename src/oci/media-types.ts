/** Media types of the OCI image spec (media-types.md) and their Docker schema2 twins. */
export const MEDIA_TYPE = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

export type MediaType = (typeof MEDIA_TYPE)[keyof typeof MEDIA_TYPE];

export function isIndexMediaType(mt: string | undefined): boolean {
  return mt === MEDIA_TYPE.ociIndex || mt === MEDIA_TYPE.dockerManifestList;
}

export function isManifestMediaType(mt: string | undefined): boolean {
  return mt === MEDIA_TYPE.ociManifest || mt === MEDIA_TYPE.dockerManifest;
}

export function isLayerMediaType(mt: string): boolean {
  return mt.includes('.layer.') || mt.includes('.rootfs.');
}
