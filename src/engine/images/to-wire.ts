/** Image records → Engine API JSON, shaped as Docker 20.10 shapes them. */
import type { ImageRunConfig } from '../../oci/image.ts';
import { familiarName, parseReference } from '../../oci/reference.ts';
import type { HistoryResponseItem, ImageInspect, ImageSummary } from '../../wire/image.ts';
import type { ContainerConfig } from '../../wire/container-config.ts';
import type { Image } from './image-store.ts';

/** Go's zero time, which Docker prints for unset times. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface WireContext {
  refs: string[];
  size: number;
  graphDriver: Record<string, string>;
}

/**
 * Docker decodes the config into its container.Config struct and encodes it
 * back, so absent fields appear with zero values and `omitempty` ones vanish.
 */
export function fullContainerConfig(c: ImageRunConfig | undefined): ContainerConfig {
  const src = c ?? {};
  const out: ContainerConfig = {
    Hostname: src.Hostname ?? '',
    Domainname: src.Domainname ?? '',
    User: src.User ?? '',
    AttachStdin: src.AttachStdin ?? false,
    AttachStdout: src.AttachStdout ?? false,
    AttachStderr: src.AttachStderr ?? false,
  };
  if (src.ExposedPorts && Object.keys(src.ExposedPorts).length > 0) out.ExposedPorts = src.ExposedPorts as ContainerConfig['ExposedPorts'];
  Object.assign(out, { Tty: src.Tty ?? false, OpenStdin: src.OpenStdin ?? false, StdinOnce: src.StdinOnce ?? false, Env: src.Env ?? null, Cmd: src.Cmd ?? null });
  if (src.Healthcheck) out.Healthcheck = src.Healthcheck as ContainerConfig['Healthcheck'];
  if (src.ArgsEscaped) out.ArgsEscaped = true;
  Object.assign(out, { Image: src.Image ?? '', Volumes: src.Volumes ?? null, WorkingDir: src.WorkingDir ?? '', Entrypoint: src.Entrypoint ?? null });
  if (src.NetworkDisabled) out.NetworkDisabled = true;
  if (src.MacAddress) out.MacAddress = src.MacAddress;
  Object.assign(out, { OnBuild: src.OnBuild ?? null, Labels: src.Labels ?? null });
  if (src.StopSignal) out.StopSignal = src.StopSignal;
  if (src.StopTimeout !== undefined) out.StopTimeout = src.StopTimeout;
  if (src.Shell && src.Shell.length > 0) out.Shell = src.Shell;
  return out;
}

export function repoTags(refs: string[]): string[] {
  return refs.filter((r) => !r.includes('@')).map((r) => familiarName(parseReference(r)));
}

export function repoDigests(refs: string[]): string[] {
  return refs.filter((r) => r.includes('@')).map((r) => familiarName(parseReference(r)));
}

export function createdSeconds(image: Image): number {
  const t = image.config.created ? Date.parse(image.config.created) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

export function toWireInspect(image: Image, ctx: WireContext): ImageInspect {
  const { config, record } = image;
  const out: ImageInspect = {
    Id: record.id,
    RepoTags: repoTags(ctx.refs),
    RepoDigests: repoDigests(ctx.refs),
    Parent: record.parent ?? '',
    Comment: config.comment ?? '',
    Created: config.created ?? ZERO_TIME,
    Container: config.container ?? '',
    ContainerConfig: fullContainerConfig(config.container_config),
    DockerVersion: config.docker_version ?? '',
    Author: config.author ?? '',
    Config: fullContainerConfig(config.config),
    Architecture: config.architecture,
    Os: config.os,
    Size: ctx.size,
    VirtualSize: ctx.size,
    GraphDriver: { Data: ctx.graphDriver, Name: 'overlay2' },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: { LastTagTime: record.lastTagTime ?? ZERO_TIME },
  };
  if (config.variant) out.Variant = config.variant;
  if (config['os.version']) out.OsVersion = config['os.version'];
  return out;
}

export function toWireSummary(image: Image, ctx: { refs: string[]; size: number }): ImageSummary {
  const tags = repoTags(ctx.refs);
  const digests = repoDigests(ctx.refs);
  return {
    Containers: -1,
    Created: createdSeconds(image),
    Id: image.record.id,
    Labels: image.config.config?.Labels ?? null,
    ParentId: image.record.parent ?? '',
    RepoDigests: digests.length ? digests : null,
    RepoTags: tags.length ? tags : null,
    SharedSize: -1,
    Size: ctx.size,
    VirtualSize: ctx.size,
  };
}

/** History entries newest first; IDs and tags are filled in by the caller for local ancestors. */
export function historyEntries(image: Image, layerSize: (index: number) => number): HistoryResponseItem[] {
  const out: HistoryResponseItem[] = [];
  let layer = 0;
  for (const h of image.config.history ?? []) {
    let size = 0;
    if (!h.empty_layer) size = layerSize(layer++);
    const t = h.created ? Date.parse(h.created) : NaN;
    out.unshift({
      Comment: h.comment ?? '',
      Created: Number.isNaN(t) ? 0 : Math.floor(t / 1000),
      CreatedBy: h.created_by ?? '',
      Id: '<missing>',
      Size: size,
      Tags: null,
    });
  }
  return out;
}
