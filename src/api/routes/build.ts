/**
 * Build routes (swagger operations ImageBuild, BuildPrune, BuildCancel):
 * the legacy `POST /build` of dockerd's classic builder.
 *
 * `POST /build` decodes every query parameter as dockerd's
 * newImageBuildOptions does (its words and statuses: a bad `buildargs` is
 * 400 "error reading build args: …", a bad `cachefrom` Go's bare JSON error
 * as a 500), opens the context (body or `remote=`), then runs the build,
 * its progress rendered as `{"stream": …}` / `{"aux": …}` lines. The 200
 * goes out with the first line, so that a failure before any output (no
 * Dockerfile, a parse error) is an ordinary HTTP error as dockerd's unflushed
 * writer makes it; after that a failure is the stream's
 * `{"errorDetail":{"code":7,"message":…},"error":…}` line. With `q`, the
 * lines are held back: on success only `{"stream":"sha256:…\n"}` is sent,
 * on failure what was held, then the error. A client that goes away aborts
 * the context's download and the build (ctx.signal).
 */
import type { Readable } from 'node:stream';
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { queryBool, queryFilters } from '../query.ts';
import { parseWholeJsonText } from '../decode/json-text.ts';
import { JsonMessageWriter, type JsonMessage } from '../streams/json-lines.ts';
import { formatProgressBar, toJsonMessage } from '../streams/progress-messages.ts';
import { decodeRegistryAuth } from '../../engine/distribution/auth-header.ts';
import type { BuildContext, ContextSource } from '../../engine/build/build-context.ts';
import type { DownloadProgress } from '../../engine/build/context-remote.ts';
import type { BuildOptions, BuildPruneOptions, BuildService } from '../../engine/build/build-service.ts';
import { formatReference, parseReference, withDefaultTag } from '../../oci/reference.ts';
import { InvalidParameterError, SystemError, asError } from '../../util/errors.ts';

/** What the build routes need of the engine. */
export interface BuildBackend {
  /** The context of one build, in the builder's tmp dir (engine/build/context.ts). */
  openContext(source: ContextSource, options: { dockerfile?: string; signal?: AbortSignal; onDownload?: DownloadProgress }): Promise<BuildContext>;
  build: BuildService['build'];
  prune: BuildService['prune'];
}

type Backend = BuildBackend;

/** API 1.30: the build's image ID comes as `{"aux":{"ID":…}}` (dockerd's wantAux). */
const AUX_SINCE = 1.3;

export function registerBuildRoutes(router: Router, backend: BuildBackend): void {
  const add = routesOver(router, backend);
  add('POST', '/build', imageBuild);
  add('POST', '/build/prune', buildPrune);
  add('POST', '/build/cancel', buildCancel);
}

/** Go's encoding/json words for a query parameter's JSON (syntax, then type). */
function readJson(raw: string): unknown {
  return parseWholeJsonText(raw);
}

function goKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

const typeError = (value: unknown, goType: string) => `json: cannot unmarshal ${goKind(value)} into Go value of type ${goType}`;

/** `map[string]string` (or `map[string]*string` with `nullable`), in Go's words; null is an empty map. */
function stringMap(raw: string, nullable: boolean): Record<string, string | null> {
  const value = readJson(raw);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(typeError(value, nullable ? 'map[string]*string' : 'map[string]string'));
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (v === null) {
      if (nullable) out[k] = null;
      // Go leaves a null out of a map[string]string as the zero value "".
      else out[k] = '';
    } else throw new Error(typeError(v, 'string'));
  }
  return out;
}

function wrapped(prefix: string, fn: () => Record<string, string | null>): Record<string, string | null> {
  try {
    return fn();
  } catch (err) {
    throw new InvalidParameterError(`${prefix}: ${asError(err).message}`);
  }
}

/** dockerd's httputils.Int64ValueOrZero: anything unreadable is 0. */
function int64OrZero(q: URLSearchParams, name: string): number {
  const v = q.get(name);
  if (v === null || !/^[+-]?\d+$/.test(v)) return 0;
  return Number(v);
}

function parseInt64(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw new SystemError(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new SystemError(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(n);
}

/** `t`: normalised, deduplicated, no digests (dockerd's sanitizeRepoAndTags). */
export function buildTags(values: string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (value === '') continue;
    const ref = parseReference(value);
    if (ref.digest) throw new InvalidParameterError('build tag cannot contain a digest');
    const full = formatReference(withDefaultTag(ref));
    if (!out.includes(full)) out.push(full);
  }
  return out;
}

/** `platform`: os[/arch[/variant]] as containerd's platforms.Parse accepts it (the builder checks it is usable). */
function checkPlatform(value: string): void {
  const parts = value.split('/');
  const ok = parts.length <= 3 && parts.every((p) => /^[A-Za-z0-9_.-]+$/.test(p));
  if (!ok) throw new InvalidParameterError(`${JSON.stringify(value)}: cannot parse platform specifier: invalid argument`);
}

function header(ctx: RouteContext, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `X-Registry-Config`: base64url JSON of host → credentials; unreadable means none (dockerd's getAuthConfigs). */
function registryConfig(value: string | undefined): BuildOptions['registryAuth'] {
  if (!value) return {};
  try {
    const parsed = JSON.parse(Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: BuildOptions['registryAuth'] = {};
    for (const [host, auth] of Object.entries(parsed as Record<string, unknown>)) {
      out[host] = decodeRegistryAuth(Buffer.from(JSON.stringify(auth)).toString('base64url'));
    }
    return out;
  } catch {
    return {};
  }
}

/** `X-Berth-Build-Secrets` (a Berth extension): base64 JSON of id → base64 content. */
function buildSecrets(value: string | undefined): Map<string, Buffer> {
  const secrets = new Map<string, Buffer>();
  if (!value) return secrets;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch (err) {
    throw new InvalidParameterError(`invalid X-Berth-Build-Secrets header: ${asError(err).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidParameterError('invalid X-Berth-Build-Secrets header: not a JSON object');
  for (const [id, content] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof content !== 'string') throw new InvalidParameterError(`invalid X-Berth-Build-Secrets header: secret ${JSON.stringify(id)} is not a base64 string`);
    secrets.set(id, Buffer.from(content, 'base64'));
  }
  return secrets;
}

export interface DecodedBuild {
  options: BuildOptions;
  dockerfile?: string;
  remote?: string;
  buildId?: string;
}

/** The query and headers of `POST /build`, checked in dockerd's order. */
export function decodeBuildRequest(q: URLSearchParams, headers: { registryConfig?: string; secrets?: string }): DecodedBuild {
  if (q.getAll('securityopt').length > 0) throw new InvalidParameterError('The daemon on this platform does not support setting security options on build');
  const forceRemove = queryBool(q, 'forcerm');
  const remove = forceRemove || q.get('rm') === null || q.get('rm') === '' ? true : queryBool(q, 'rm');
  const isolation = q.get('isolation') ?? '';
  if (isolation !== '' && isolation.toLowerCase() !== 'default') throw new InvalidParameterError(`Unsupported isolation: ${JSON.stringify(isolation)}`);
  const shmSize = parseInt64(q, 'shmsize');
  const ulimits = q.get('ulimits');
  if (ulimits) {
    try {
      const v = readJson(ulimits);
      if (v !== null && !Array.isArray(v)) throw new Error(typeError(v, '[]*units.Ulimit'));
    } catch (err) {
      throw new InvalidParameterError(`error reading ulimit settings: ${asError(err).message}`);
    }
  }
  const buildArgsRaw = q.get('buildargs');
  const buildArgs = buildArgsRaw ? wrapped('error reading build args', () => stringMap(buildArgsRaw, true)) : {};
  const labelsRaw = q.get('labels');
  const labels = labelsRaw ? (wrapped('error reading labels', () => stringMap(labelsRaw, false)) as Record<string, string>) : {};
  let cacheFrom: string[] = [];
  const cacheFromRaw = q.get('cachefrom');
  if (cacheFromRaw) {
    let v: unknown;
    try {
      v = readJson(cacheFromRaw);
    } catch (err) {
      throw new SystemError(asError(err).message);
    }
    if (v !== null && !Array.isArray(v)) throw new SystemError(typeError(v, '[]string'));
    for (const item of (v as unknown[] | null) ?? []) if (typeof item !== 'string' && item !== null) throw new SystemError(typeError(item, 'string'));
    cacheFrom = ((v as (string | null)[] | null) ?? []).map((s) => s ?? '');
  }
  const version = q.get('version');
  if (version) {
    if (version === '2') throw new InvalidParameterError('buildkit not supported by daemon: Berth builds with the classic builder (version=1)');
    if (version !== '1') throw new SystemError(`invalid version ${JSON.stringify(version)}`);
  }
  const outputs = q.get('outputs');
  if (outputs) {
    let v: unknown;
    try {
      v = readJson(outputs);
    } catch (err) {
      throw new SystemError(asError(err).message);
    }
    if (v !== null && !Array.isArray(v)) throw new SystemError(typeError(v, '[]types.ImageBuildOutput'));
  }
  const platform = q.get('platform') || undefined;
  if (platform) checkPlatform(platform);
  // After newImageBuildOptions: the tags (sanitizeRepoAndTags), then squash.
  const tags = buildTags(q.getAll('t'));
  if (queryBool(q, 'squash')) throw new InvalidParameterError('squash is only supported with experimental mode');
  const resources: BuildOptions['resources'] = {};
  const setNum = (key: 'memory' | 'memorySwap' | 'cpuShares' | 'cpuQuota' | 'cpuPeriod', param: string) => {
    const n = int64OrZero(q, param);
    if (n !== 0) resources[key] = n;
  };
  setNum('memory', 'memory');
  setNum('memorySwap', 'memswap');
  setNum('cpuShares', 'cpushares');
  setNum('cpuQuota', 'cpuquota');
  setNum('cpuPeriod', 'cpuperiod');
  if (q.get('cpusetcpus')) resources.cpusetCpus = q.get('cpusetcpus')!;
  if (q.get('cpusetmems')) resources.cpusetMems = q.get('cpusetmems')!;
  if (shmSize) resources.shmSize = shmSize;
  const options: BuildOptions = {
    tags,
    buildArgs,
    labels,
    target: q.get('target') || undefined,
    noCache: queryBool(q, 'nocache'),
    pull: queryBool(q, 'pull'),
    remove,
    forceRemove,
    quiet: queryBool(q, 'q'),
    networkMode: q.get('networkmode') || undefined,
    extraHosts: q.getAll('extrahosts').filter((h) => h !== ''),
    resources,
    platform,
    cacheFrom,
    secrets: buildSecrets(headers.secrets),
    registryAuth: registryConfig(headers.registryConfig),
  };
  return { options, dockerfile: q.get('dockerfile') || undefined, remote: q.get('remote') || undefined, buildId: q.get('buildid') || undefined };
}

/** The exit code a failed RUN carries (errorDetail.code), when the error has one. */
function exitCodeOf(err: unknown): number | undefined {
  const e = err as { exitCode?: unknown; code?: unknown };
  if (typeof e?.exitCode === 'number') return e.exitCode;
  if (typeof e?.code === 'number') return e.code;
  return undefined;
}

/** Builds in flight started with `buildid=`, for `POST /build/cancel` (aborted as a client disconnect is). */
const running = new Map<string, AbortController>();

async function imageBuild(ctx: RouteContext, b: Backend): Promise<undefined> {
  const decoded = decodeBuildRequest(ctx.query, { registryConfig: header(ctx, 'x-registry-config'), secrets: header(ctx, 'x-berth-build-secrets') });
  const { options } = decoded;
  const abort = new AbortController();
  const onAbort = () => abort.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onAbort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (decoded.buildId) running.set(decoded.buildId, abort);

  let started = false;
  const writer = new JsonMessageWriter(
    ctx.res,
    () => {
      started = true;
      ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
    },
    ctx.signal,
  );
  const held: JsonMessage[] = [];
  const deliver = (message: JsonMessage) => writer.write(message);
  const send = async (message: JsonMessage) => {
    if (options.quiet) held.push(message);
    else await deliver(message);
  };
  const wantAux = ctx.version >= AUX_SINCE;
  let context: BuildContext | undefined;
  try {
    const source: ContextSource = decoded.remote ? { kind: 'remote', url: decoded.remote } : { kind: 'body', stream: ctx.req as Readable };
    // dockerd's download progress, with its status and id the other way round.
    let downloads = Promise.resolve();
    const onDownload: DownloadProgress = (event) => {
      const message: JsonMessage = 'end' in event ? {} : { status: decoded.remote, progressDetail: { current: event.current }, progress: formatProgressBar(event.current, 0), id: 'Downloading context' };
      downloads = downloads.then(() => send(message));
    };
    try {
      context = await b.openContext(source, { dockerfile: decoded.dockerfile, signal: abort.signal, onDownload });
    } finally {
      await downloads;
    }
    const id = await b.build(
      context,
      options,
      async (event) => {
        if (event.kind === 'built' && !wantAux) return;
        await send(toJsonMessage(event));
      },
      abort.signal,
    );
    if (options.quiet) await deliver({ stream: `${id}\n` });
  } catch (err) {
    if (options.quiet && held.length > 0) {
      for (const m of held) await deliver(m).catch(() => undefined);
    }
    if (!started) {
      await context?.close();
      throw err;
    }
    const message = asError(err).message;
    const code = exitCodeOf(err);
    const detail = code === undefined ? { message } : { code, message };
    await deliver({ errorDetail: detail, error: message }).catch(() => undefined); // client gone: nothing to tell
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    if (decoded.buildId && running.get(decoded.buildId) === abort) running.delete(decoded.buildId);
  }
  if (!started) ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  ctx.res.end();
  // After the reply: removing a large context takes a while, and the client need not wait.
  await context?.close();
  return undefined;
}

const PRUNE_FILTERS = new Set(['until', 'id', 'parent', 'type', 'description', 'inuse', 'shared', 'private']);

async function buildPrune(ctx: RouteContext, b: Backend): Promise<unknown> {
  const keep = ctx.query.get('keep-storage');
  let keepStorage: number | undefined;
  if (keep !== null && keep !== '') {
    if (!/^[+-]?\d+$/.test(keep)) throw new SystemError(`keep-storage is in bytes and expects an integer, got ${keep}: strconv.Atoi: parsing ${JSON.stringify(keep)}: invalid syntax`);
    keepStorage = Number(keep);
  }
  const filters = queryFilters(ctx.query);
  for (const key of filters.keys()) if (!PRUNE_FILTERS.has(key)) throw new InvalidParameterError(`failed to prune build cache: Invalid filter '${key}'`);
  const flat = new Map<string, string[]>(filters);
  const options: BuildPruneOptions = { all: queryBool(ctx.query, 'all'), keepStorage, filters: flat };
  const report = await b.prune(options);
  return { CachesDeleted: report.cachesDeleted.length > 0 ? report.cachesDeleted : null, SpaceReclaimed: report.spaceReclaimed };
}

async function buildCancel(ctx: RouteContext): Promise<unknown> {
  const id = ctx.query.get('id');
  if (!id) throw new SystemError('build ID not provided');
  running.get(id)?.abort(new SystemError('context canceled'));
  ctx.res.writeHead(200, { 'Content-Type': 'application/json' });
  ctx.res.end();
  return undefined;
}
