/**
 * The builder (BuildService): a Dockerfile built as dockerd's classic
 * builder builds it, step by step, each step's result an image, with a
 * cache kept under `<data-root>/builder/`.
 *
 * A build: parse; check `--target`; the ARGs before the first FROM (their
 * `Step` lines); plan the stages the target needs (stage-plan.ts) and run
 * them at once, each waiting for the stages it reads, their output in
 * stage order (ordered-output.ts); then the unused-args warning,
 * `Successfully built <id>`, the tags. A failure stops the stages after the
 * failing one, lets earlier ones end, and rejects with the earliest stage's
 * error; each step removes what it made (steps own their containers and
 * mounts), no tag is set.
 */
import path from 'node:path';
import type { Digest } from '../../oci/digest.ts';
import { familiarName, formatReference, parseReference, withDefaultTag } from '../../oci/reference.ts';
import { log } from '../../util/log.ts';
import { hostPlatform, parsePlatform, formatPlatform } from '../images/platform.ts';
import type { ProgressSink } from '../progress-event.ts';
import { BuildArgs } from './build-args.ts';
import { BuildCache } from './build-cache.ts';
import type { BuildContext } from './build-context.ts';
import type { BuilderDeps, BuildRun, StageResult } from './build-run.ts';
import type { BuildCacheEntry, BuildOptions, BuildPruneOptions, BuildService } from './build-service.ts';
import { say } from './commit-step.ts';
import { parseDockerfile } from './dockerfile/parse-dockerfile.ts';
import { noImageGenerated, unknownTarget } from './errors.ts';
import { OrderedOutput } from './ordered-output.ts';
import { cacheUsage, pruneCache } from './cache-prune.ts';
import { CacheFrom } from './cache-from.ts';
import { planStages, stepTotal } from './stage-plan.ts';
import { buildStage, expanderOf, metaExpander } from './stage-builder.ts';
import { shortId } from './step-image.ts';

export type { BuilderDeps } from './build-run.ts';

/** The request's credentials for a registry host (X-Registry-Config is keyed by server address). */
function authFor(options: BuildOptions, domain: string): Record<string, unknown> | undefined {
  const hosts = domain === 'docker.io' ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io'] : [domain];
  for (const [key, value] of Object.entries(options.registryAuth)) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (hosts.includes(key) || hosts.includes(host)) return value as Record<string, unknown>;
  }
  return undefined;
}

export class Builder implements BuildService {
  private readonly cache: BuildCache;
  readonly builderDir: string;

  constructor(private readonly deps: BuilderDeps) {
    this.builderDir = path.join(deps.dataRoot, 'builder');
    this.cache = new BuildCache(path.join(this.builderDir, 'cache'));
  }

  async build(context: BuildContext, options: BuildOptions, progress: ProgressSink, signal: AbortSignal): Promise<Digest> {
    const dockerfile = parseDockerfile(context.dockerfile, context.dockerfileName);
    if (options.target && !dockerfile.stages.some((s) => s.name === options.target!.toLowerCase())) throw unknownTarget(options.target);
    const platform = options.platform ? parsePlatform(options.platform) : hostPlatform();
    await this.cache.load();
    const metaArgs = new BuildArgs(options.buildArgs);
    const pulls = new Map<string, Promise<string>>();
    const stages = new Map<number, Promise<StageResult>>();
    const unplanned: Promise<StageResult>[] = [];
    const run: BuildRun = {
      deps: this.deps,
      cache: this.cache,
      options,
      context,
      dockerfile,
      plan: { stages: [], needed: [], deps: new Map(), total: 0, firstStep: [] },
      platform,
      metaArgs,
      signal,
      builderDir: this.builderDir,
      cacheFrom: options.cacheFrom.length ? new CacheFrom(this.deps.images, options.cacheFrom) : undefined,
      // A stage the plan did not see coming (a --from only the stage's own args name): built now, its output not shown.
      stage: (i) => {
        let p = stages.get(i);
        if (!p) {
          p = buildStage(run, run.plan.stages[i]!, () => undefined, false);
          stages.set(i, p);
          unplanned.push(p);
        }
        return p;
      },
      baseImage: (name, wanted, out) => {
        const ref = formatReference(withDefaultTag(parseReference(name)));
        const key = `${ref} ${wanted ?? ''}`;
        let p = pulls.get(key);
        if (!p) {
          p = this.baseImage(ref, wanted, options, out, signal);
          pulls.set(key, p);
        }
        return p;
      },
    };

    // The ARGs before the first FROM: `Step` lines of their own, values for FROM lines.
    run.plan = { ...run.plan, total: stepTotal(dockerfile, options.target, Object.keys(options.labels).length) };
    let step = 1;
    for (const arg of dockerfile.globalArgs) {
      await say(progress, `Step ${step++}/${run.plan.total} : ${arg.raw}`);
      await say(progress, '\n');
      // Each default expands with the meta args declared before it (processMetaArg).
      const x = expanderOf(metaArgs.allowedValues(), dockerfile.directives.escape);
      for (const a of arg.args) metaArgs.addMeta(a.name, a.default === undefined ? undefined : x.word(a.default));
    }
    const meta = metaExpander(run);
    run.plan = planStages(dockerfile, { target: options.target, labels: Object.keys(options.labels).length, fromName: (s) => meta.word(s.from.image), expandFlag: (v) => meta.word(v) });
    const order = run.plan.needed;
    const output = new OrderedOutput(progress, order);
    const aborters = new Map<number, AbortController>();
    for (const i of order) {
      const own = new AbortController();
      aborters.set(i, own);
      const stageRun: BuildRun = { ...run, signal: AbortSignal.any([signal, own.signal]) };
      const stage = run.plan.stages[i]!;
      const p = buildStage(stageRun, stage, output.forStage(i), i === run.plan.stages.length - 1);
      p.catch(() => {
        // A failed stage stops the ones after it (dockerd would not have reached them); earlier ones finish.
        for (const [j, a] of aborters) if (j > i) a.abort(new Error('Build cancelled'));
      });
      stages.set(i, p);
      p.then(
        () => output.finish(i),
        () => undefined,
      ).catch(() => undefined); // a client gone: the stages' own writes fail too
    }
    const settled = await Promise.allSettled(order.map((i) => stages.get(i)!));
    await Promise.allSettled(unplanned);
    const failed = order.findIndex((_, k) => settled[k]!.status === 'rejected');
    if (failed >= 0) {
      await output.flushThrough(order[failed]!).catch(() => undefined);
      throw (settled[failed] as PromiseRejectedResult).reason;
    }
    await Promise.all(order.map((i) => output.finish(i)));
    const result = (settled[settled.length - 1] as PromiseFulfilledResult<StageResult>).value;
    if (!result.imageId) throw noImageGenerated();
    const warning = metaArgs.unusedWarning();
    if (warning) await output.final({ kind: 'output', text: `${warning}\n` });
    const id = result.imageId as Digest;
    await output.final({ kind: 'output', text: `Successfully built ${shortId(id)}\n` });
    for (const tag of options.tags) {
      await this.deps.images.addReference(tag, id);
      await output.final({ kind: 'output', text: `Successfully tagged ${familiarName(parseReference(tag))}\n` });
    }
    return id;
  }

  /** A FROM or --from image: the local one, unless absent, of another platform, or `pull` asks for a fresh copy. */
  private async baseImage(ref: string, wanted: string | undefined, options: BuildOptions, out: ProgressSink, signal: AbortSignal): Promise<string> {
    const { images } = this.deps;
    const local = images.findId(ref);
    const platformOk = (id: string) => {
      if (!wanted) return true;
      const want = parsePlatform(wanted);
      const have = images.get(id)!.config;
      return have.os === want.os && have.architecture === want.architecture;
    };
    if (local && !options.pull && platformOk(local)) return local;
    try {
      await this.deps.pull(ref, { platform: wanted ? formatPlatform(parsePlatform(wanted)) : undefined, auth: authFor(options, parseReference(ref).domain) }, out, signal);
    } catch (err) {
      // `pull` refreshes what it can: a local image stands when its registry cannot be reached.
      if (local && options.pull) {
        log.warn('build: pull failed, using the local image', { ref, err: (err as Error).message });
        return local;
      }
      throw err;
    }
    const id = images.findId(ref);
    if (!id) throw new Error(`pull of ${ref} left no image`);
    return id;
  }

  async usage(): Promise<BuildCacheEntry[]> {
    await this.cache.load();
    return cacheUsage(this.cache, this.deps.images);
  }

  async prune(options: BuildPruneOptions): Promise<{ cachesDeleted: string[]; spaceReclaimed: number }> {
    await this.cache.load();
    return pruneCache(this.cache, this.deps.images, options);
  }
}
