/**
 * The Engine API client: version negotiation, JSON calls, raw streams and
 * hijacked connections. Resource modules (containers.ts, images.ts…) are
 * plain functions over this class, so a command loads only what it uses.
 *
 * Version: DOCKER_API_VERSION when set; otherwise negotiated once from
 * `/_ping`'s `Api-Version` header as min(ours, server's), like the docker CLI.
 */
import { openTransport, type RawConn, type RequestSpec, type StreamResponse, type Transport } from './transport.ts';
import type { Endpoint, TlsFiles } from './host.ts';
import { parseErrorBody } from './errors.ts';

export const CLIENT_API_VERSION = '1.43';

export interface PingResult {
  apiVersion: string | undefined;
  osType: string | undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** min(ours, server's); ours when the server says nothing. */
export function negotiateVersion(server: string | undefined, ours = CLIENT_API_VERSION): string {
  if (!server) return ours;
  return compareVersions(server, ours) < 0 ? server : ours;
}

export async function readAll(res: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}

export class ApiClient {
  private version: string | undefined;
  private pinged: PingResult | undefined;
  private opened: Promise<Transport> | undefined;

  constructor(
    readonly endpoint: Endpoint,
    private readonly tls?: TlsFiles,
    fixedVersion?: string,
  ) {
    this.version = fixedVersion;
  }

  get host(): string {
    return this.endpoint.url;
  }

  /** The transport, chosen and loaded on first use (so commands that never call the daemon load none). */
  transport(): Promise<Transport> {
    this.opened ??= openTransport(this.endpoint, this.tls);
    return this.opened;
  }

  async ping(): Promise<PingResult> {
    if (this.pinged) return this.pinged;
    const res = await (await this.transport()).requestText({ method: 'GET', path: '/_ping' });
    const header = (name: string) => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    this.pinged = { apiVersion: header('api-version'), osType: header('ostype') };
    return this.pinged;
  }

  /** The API version requests are sent with, negotiating on first use. */
  async apiVersion(): Promise<string> {
    if (this.version === undefined) this.version = negotiateVersion((await this.ping()).apiVersion);
    return this.version;
  }

  private async versioned(spec: RequestSpec): Promise<RequestSpec> {
    return { ...spec, path: `/v${await this.apiVersion()}${spec.path}` };
  }

  /** A request whose non-2xx reply becomes ApiError; the body is left to the caller. */
  async stream(spec: RequestSpec): Promise<StreamResponse> {
    const res = await (await this.transport()).request(await this.versioned(spec));
    const status = res.statusCode ?? 500;
    if (status < 200 || status >= 300) {
      throw parseErrorBody(status, (await readAll(res)).toString('utf8'));
    }
    return res;
  }

  /** A request answered with JSON (or nothing, for 204). */
  async json<T>(spec: RequestSpec): Promise<T> {
    const res = await (await this.transport()).requestText(await this.versioned(spec));
    if (res.statusCode < 200 || res.statusCode >= 300) throw parseErrorBody(res.statusCode, res.text);
    return (res.text.trim() === '' ? undefined : JSON.parse(res.text)) as T;
  }

  async hijack(spec: RequestSpec): Promise<RawConn> {
    return (await this.transport()).hijack(await this.versioned(spec));
  }
}
