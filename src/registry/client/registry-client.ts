/**
 * A client for one repository of an OCI / Docker registry (the distribution
 * spec's pull side, and the request primitive push builds on).
 *
 * API:
 * - `RegistryClient.connect(endpoints, repository, auth, opts)`: ping `/v2/`
 *   on each endpoint in order (see endpoints.ts) and keep the first that
 *   answers as a registry; a refused connection or a TLS failure falls back
 *   to the next (dockerd: HTTPS, then HTTP for insecure hosts). The ping's
 *   401 challenge primes `auth`.
 * - `request(method, path, opts)`: one request relative to `/v2/<repository>`
 *   (or absolute when `path` starts with `/` or `http`), with the
 *   Authorization header for the scopes (`pull` by default; push passes
 *   `['pull','push']`), retried on a 401 once after answering its challenge,
 *   and on 5xx/429 and connection resets with exponential back-off (buffered
 *   bodies only: a streamed body is never resent). Non-2xx answers become a
 *   `RegistryError` (status + the spec's `errors` list) unless `opts.accept`
 *   lists the status.
 * - `getManifest(ref)`, `headManifest(ref)`: by tag or digest, accepting
 *   Docker schema2 and OCI manifests and indexes; a manifest fetched by
 *   digest is checked against it.
 * - `getBlob(digest, offset)`: the body as a stream; from `offset` with a
 *   Range request when offset > 0 (`partial` false when the registry ignored
 *   the Range and sent the whole blob); `headBlob(digest)`: its size or undefined.
 *
 * Nothing here touches the stores: callers verify blob digests while they
 * stream (pull) and decide what to fetch.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { sha256Digest, type Digest } from '../../oci/digest.ts';
import { MEDIA_TYPE } from '../../oci/media-types.ts';
import { BerthError } from '../../util/errors.ts';
import { repositoryScope, type Authenticator } from './auth.ts';
import type { Endpoint } from './endpoints.ts';
import { discard, readBody, send, TransportError } from './http.ts';

/** One entry of the spec's error document. */
export interface RegistryErrorEntry {
  code: string;
  message: string;
  detail?: unknown;
}

/** A registry answered with an error status. `message` reads as docker/distribution prints it (`manifest unknown: manifest unknown`). */
export class RegistryError extends BerthError {
  constructor(
    readonly status: number,
    readonly errors: RegistryErrorEntry[],
    message: string,
  ) {
    super(message);
  }

  hasCode(code: string): boolean {
    return this.errors.some((e) => e.code === code);
  }
}

/** `MANIFEST_UNKNOWN` → `manifest unknown` (errcode.ErrorCode.Error()). */
export function errorCodeWords(code: string): string {
  return code.toLowerCase().replace(/_/g, ' ');
}

/** Build a RegistryError from a response's status and body, in docker/distribution's words. */
export function registryErrorFrom(status: number, statusText: string, body: Buffer): RegistryError {
  let errors: RegistryErrorEntry[] = [];
  try {
    const j = JSON.parse(body.toString('utf8')) as { errors?: RegistryErrorEntry[] };
    if (Array.isArray(j.errors)) errors = j.errors.filter((e) => e && typeof e.code === 'string').map((e) => ({ code: e.code, message: String(e.message ?? ''), detail: e.detail }));
  } catch {
    // not a JSON error document
  }
  let message: string;
  if (errors.length === 1) message = `${errorCodeWords(errors[0]!.code)}: ${errors[0]!.message}`;
  else if (errors.length > 1) message = `errors:\n${errors.map((e) => `${errorCodeWords(e.code)}: ${e.message}`).join('\n')}\n`;
  else if (status === 401) message = 'unauthorized: authentication required';
  else {
    const text = body.toString('utf8').trim();
    message = `unexpected status code ${status}${statusText ? ` ${statusText}` : ''}${text ? `: ${text.slice(0, 200)}` : ''}`;
  }
  return new RegistryError(status, errors, message);
}

export interface RetryPolicy {
  /** Attempts in all, the first included (dockerd's max-download-attempts is 5). */
  attempts: number;
  /** First back-off; doubled each time, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 4000 };

/** Back-off before attempt `n` (1-based retries): base·2^(n-1), capped. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

/** Whether an error or status deserves another attempt. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof TransportError) return err.retryable;
  if (err instanceof RegistryError) return err.status >= 500 || err.status === 429;
  return false;
}

export const MANIFEST_ACCEPT = [MEDIA_TYPE.dockerManifest, MEDIA_TYPE.dockerManifestList, MEDIA_TYPE.ociManifest, MEDIA_TYPE.ociIndex].join(', ');

export interface RequestOptions {
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string | Readable;
  /** Statuses returned as responses rather than thrown (besides 2xx). */
  accept?: number[];
  /** Scope actions (default the client's). */
  actions?: string[];
  /** Retry on 5xx/resets (default true for bodies that can be resent). */
  retry?: boolean;
  signal?: AbortSignal;
}

export interface ManifestResponse {
  bytes: Buffer;
  mediaType: string;
  digest: Digest;
}

export interface ClientOptions {
  /** Scope actions asked for every request (default `['pull']`). */
  actions?: string[];
  retry?: RetryPolicy;
  userAgent?: string;
  /** Called before each retry (for logs and tests). */
  onRetry?: (err: unknown, attempt: number) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class RegistryClient {
  readonly retry: RetryPolicy;
  readonly actions: string[];

  constructor(
    readonly endpoint: Endpoint,
    /** The repository path (`library/busybox`). */
    readonly repository: string,
    readonly auth: Authenticator,
    private readonly opts: ClientOptions = {},
  ) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.actions = opts.actions ?? ['pull'];
  }

  /**
   * The client of the first endpoint that answers `/v2/` (any status but a
   * network or TLS failure). Throws the last endpoint's error when none does.
   */
  static async connect(endpoints: readonly Endpoint[], repository: string, auth: Authenticator, opts: ClientOptions = {}): Promise<RegistryClient> {
    let last: unknown;
    for (const ep of endpoints) {
      const c = new RegistryClient(ep, repository, auth, opts);
      try {
        await c.ping();
        return c;
      } catch (err) {
        last = err;
      }
    }
    throw last ?? new BerthError('no endpoint to reach the registry');
  }

  /** `GET /v2/`: 200 or 401 (whose challenge is noted) mean a registry is there. */
  async ping(): Promise<void> {
    const url = `${this.endpoint.url}/v2/`;
    const res = await this.withRetries(() => send({ method: 'GET', url, insecureTls: this.endpoint.insecureTls, headers: this.baseHeaders() }), true);
    discard(res);
    if (res.statusCode === 401) {
      this.auth.noteChallenge(this.endpoint.url, res.headers['www-authenticate']);
      return;
    }
    if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) return;
    if (res.statusCode === 404) throw new BerthError(`${url}: 404 page not found`);
    throw registryErrorFrom(res.statusCode ?? 0, res.statusMessage ?? '', Buffer.alloc(0));
  }

  private baseHeaders(): OutgoingHttpHeaders {
    return { 'user-agent': this.opts.userAgent ?? 'berth (linux)', 'docker-distribution-api-version': 'registry/2.0' };
  }

  /** An absolute URL for `path`: `manifests/latest` → `<base>/v2/<repo>/manifests/latest`. */
  url(path: string): string {
    if (/^https?:\/\//.test(path)) return path;
    if (path.startsWith('/')) return `${this.endpoint.url}${path}`;
    return `${this.endpoint.url}/v2/${this.repository}/${path}`;
  }

  private async withRetries<T>(fn: () => Promise<T>, retry: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!retry || !isRetryable(err) || attempt >= this.retry.attempts) throw err;
        this.opts.onRetry?.(err, attempt);
        await sleep(backoffDelay(this.retry, attempt));
      }
    }
  }

  /** One request with auth, retries and error mapping; the caller consumes the body. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const url = this.url(path);
    const streamed = opts.body !== undefined && typeof opts.body !== 'string' && !Buffer.isBuffer(opts.body);
    const scopes = [repositoryScope(this.repository, opts.actions ?? this.actions)];
    const once = async (): Promise<IncomingMessage> => {
      for (let authTry = 0; ; authTry++) {
        const headers: OutgoingHttpHeaders = { ...this.baseHeaders(), ...opts.headers };
        const authz = await this.auth.authorization(this.endpoint.url, scopes, this.endpoint.insecureTls);
        if (authz) headers.authorization = authz;
        const res = await this.sendFollowing(method, url, headers, opts);
        const status = res.statusCode ?? 0;
        if (status === 401 && authTry === 0 && !streamed) {
          const before = authz;
          this.auth.noteChallenge(this.endpoint.url, res.headers['www-authenticate']);
          const after = await this.auth.authorization(this.endpoint.url, scopes, this.endpoint.insecureTls).catch(() => undefined);
          if (after !== undefined && after !== before) {
            discard(res);
            continue;
          }
        }
        if ((status >= 200 && status < 300) || opts.accept?.includes(status)) return res;
        if (status === 401 && this.auth.lacksBasicCredentials(this.endpoint.url)) {
          discard(res);
          throw new RegistryError(401, [], `${method[0]}${method.slice(1).toLowerCase()} "${url}": no basic auth credentials`);
        }
        const body = method === 'HEAD' ? Buffer.alloc(0) : await readBody(res, 1 << 20).catch(() => Buffer.alloc(0));
        throw registryErrorFrom(status, res.statusMessage ?? '', body);
      }
    };
    return this.withRetries(once, opts.retry ?? !streamed);
  }

  /**
   * Send, following redirects of GET and HEAD (registries send blobs from a
   * storage backend or CDN with a 307): the Authorization header goes only
   * to the registry's own host, as Go's http client does.
   */
  private async sendFollowing(method: string, url: string, headers: OutgoingHttpHeaders, opts: RequestOptions): Promise<IncomingMessage> {
    let current = url;
    for (let hops = 0; ; hops++) {
      const sameHost = new URL(current).host === new URL(this.endpoint.url).host;
      const h = sameHost ? headers : Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
      const insecureTls = sameHost ? this.endpoint.insecureTls : false;
      const res = await send({ method, url: current, headers: h, body: opts.body, insecureTls, signal: opts.signal });
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if ((method !== 'GET' && method !== 'HEAD') || ![301, 302, 303, 307, 308].includes(status) || !location || hops >= 10) return res;
      discard(res);
      current = new URL(location, current).toString();
    }
  }

  /** GET a manifest or index by tag or digest (verified when by digest). */
  async getManifest(reference: string): Promise<ManifestResponse> {
    const res = await this.request('GET', `manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT } });
    const bytes = await readBody(res, 4 << 20);
    const digest = sha256Digest(bytes);
    if (reference.includes(':') && reference !== digest) {
      throw new BerthError(`manifest verification failed for digest ${reference}`);
    }
    let mediaType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
    try {
      const j = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: unknown; layers?: unknown; schemaVersion?: number };
      if (typeof j.mediaType === 'string' && j.mediaType) mediaType = j.mediaType;
      else if (!mediaType || mediaType === 'application/json' || mediaType === 'application/octet-stream') mediaType = Array.isArray(j.manifests) ? MEDIA_TYPE.ociIndex : MEDIA_TYPE.ociManifest;
    } catch {
      throw new BerthError(`invalid manifest: not JSON (${reference})`);
    }
    return { bytes, mediaType, digest };
  }

  /** HEAD a manifest: its digest, media type and size, or undefined when unknown (404). */
  async headManifest(reference: string): Promise<{ digest?: Digest; mediaType: string; size: number } | undefined> {
    const res = await this.request('HEAD', `manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT }, accept: [404] });
    discard(res);
    if (res.statusCode === 404) return undefined;
    const d = res.headers['docker-content-digest'];
    return {
      digest: typeof d === 'string' && d ? (d as Digest) : undefined,
      mediaType: String(res.headers['content-type'] ?? '').split(';')[0]!.trim(),
      size: Number(res.headers['content-length'] ?? 0),
    };
  }

  /**
   * GET a blob, from `offset` when > 0. `size` is the blob's full size when
   * known; `start` is where the body begins (0 if the Range was ignored).
   */
  async getBlob(digest: Digest, offset = 0, signal?: AbortSignal): Promise<{ stream: IncomingMessage; start: number; size: number | undefined }> {
    const headers: OutgoingHttpHeaders = {};
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const res = await this.request('GET', `blobs/${digest}`, { headers, signal });
    if (res.statusCode === 206) {
      const m = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(String(res.headers['content-range'] ?? ''));
      const start = m ? Number(m[1]) : offset;
      const size = m && m[3] !== '*' ? Number(m[3]) : undefined;
      return { stream: res, start, size };
    }
    const len = res.headers['content-length'];
    return { stream: res, start: 0, size: len !== undefined ? Number(len) : undefined };
  }

  /** HEAD a blob: its size, or undefined when the registry does not have it. */
  async headBlob(digest: Digest): Promise<number | undefined> {
    const res = await this.request('HEAD', `blobs/${digest}`, { accept: [404] });
    discard(res);
    if (res.statusCode === 404) return undefined;
    return Number(res.headers['content-length'] ?? 0);
  }
}
