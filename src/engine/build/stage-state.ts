/**
 * The state of one stage while its instructions run (dockerd's
 * dispatchState): the image the last step produced, the run config the next
 * step starts from, the maintainer, whether CMD was set in this stage, and
 * the stage's build args. Also the helpers that derive a step's configs
 * from it, as dockerd's copyRunConfig/withCmd… do. Pure.
 */
import type { ImageConfig, ImageRunConfig } from '../../oci/image.ts';
import type { ContainerConfig } from '../../wire/container-config.ts';
import type { BuildArgs } from './build-args.ts';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface StageState {
  /** 0-based stage index and its lower-cased name. */
  index: number;
  name?: string;
  /** The current image: undefined while the stage is still `FROM scratch` with no step done. */
  imageId: string | undefined;
  /** The current image's config (for a scratch stage, an empty one on the build's platform). */
  image: ImageConfig;
  runConfig: ImageRunConfig;
  maintainer?: string;
  cmdSet: boolean;
  args: BuildArgs;
}

/** A deep enough copy of a run config (arrays and maps are not shared). */
export function copyRunConfig(c: ImageRunConfig, changes: Partial<ImageRunConfig> = {}): ImageRunConfig {
  const out: ImageRunConfig = { ...c };
  if (c.Cmd) out.Cmd = [...c.Cmd];
  if (c.Env) out.Env = [...c.Env];
  if (c.Entrypoint) out.Entrypoint = [...c.Entrypoint];
  if (c.OnBuild) out.OnBuild = [...c.OnBuild];
  if (c.Shell) out.Shell = [...c.Shell];
  if (c.Volumes) out.Volumes = { ...c.Volumes };
  if (c.ExposedPorts) out.ExposedPorts = { ...c.ExposedPorts };
  if (c.Labels) out.Labels = { ...c.Labels };
  return Object.assign(out, changes);
}

export function shellOf(c: ImageRunConfig): string[] {
  return c.Shell && c.Shell.length > 0 ? [...c.Shell] : [...DEFAULT_SHELL];
}

/** The config a metadata step records as container_config: Cmd is `<shell> "#(nop) " <comment>` (two words). */
export function withCommentCmd(c: ImageRunConfig, comment: string): ImageRunConfig {
  return copyRunConfig(c, { Cmd: [...shellOf(c), '#(nop) ', comment] });
}

/** The single-word variant that WORKDIR, COPY and ADD use: `<shell> "#(nop) <comment>"`. */
export function withCommentString(c: ImageRunConfig, comment: string): ImageRunConfig {
  return copyRunConfig(c, { Cmd: [...shellOf(c), `#(nop) ${comment}`] });
}

/** The run config a stage starts from: its base image's, with PATH added when absent and stdin off (beginStage). */
export function initialRunConfig(base: ImageRunConfig | undefined): ImageRunConfig {
  const c = copyRunConfig(base ?? {});
  const env = c.Env ?? [];
  if (!env.some((e) => e.split('=', 1)[0] === 'PATH')) c.Env = [...env, DEFAULT_PATH_ENV];
  if (c.OpenStdin) c.OpenStdin = false;
  if (c.StdinOnce) c.StdinOnce = false;
  return c;
}

/** The values words expand with at this step: the config's Env, then the allowed build args it does not set. */
export function expansionEnv(state: StageState): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of state.runConfig.Env ?? []) {
    const eq = e.indexOf('=');
    const key = eq < 0 ? e : e.slice(0, eq);
    if (!env.has(key)) env.set(key, eq < 0 ? '' : e.slice(eq + 1));
  }
  for (const [k, v] of state.args.allowedValues()) if (!env.has(k)) env.set(k, v);
  return env;
}

/** A run config as a step container's config (the same fields; the wire type is stricter about maps). */
export function asContainerConfig(c: ImageRunConfig): Omit<ContainerConfig, 'Image'> {
  const { Image: _image, ...rest } = c;
  return rest as Omit<ContainerConfig, 'Image'>;
}
