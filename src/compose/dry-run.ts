/**
 * `--dry-run`: the Engine API client Compose's DryRunClient stands for. Reads
 * go to the engine; what would change it (create, start, stop, remove,
 * networks, volumes, pulls, builds, pushes) is answered here without being
 * sent, and the containers "created" so are remembered, so the rest of the
 * run (start, dependency waits, --wait) sees them: running and healthy, as
 * Compose fakes them.
 */
import { Readable } from 'node:stream';
import { ApiClient } from '../client/api-client.ts';
import { ApiError } from '../client/errors.ts';
import type { RawConn, RequestSpec, StreamResponse } from '../client/transport.ts';

interface FakeContainer {
  Id: string;
  Names: string[];
  Labels: Record<string, string>;
  State: string;
  Status: string;
  Image: string;
}

const dec = (s: string) => decodeURIComponent(s);

/** The dry-run view of `real`: same engine for reads, nothing written. */
export class DryRunApi extends ApiClient {
  private readonly created: FakeContainer[] = [];
  private readonly removed = new Set<string>();
  /** Images pulled or built in this run (they are not there, but the run goes on as if). */
  private readonly images = new Set<string>();

  constructor(private readonly real: ApiClient) {
    super(real.endpoint);
  }

  override apiVersion(): Promise<string> {
    return this.real.apiVersion();
  }

  override ping(): ReturnType<ApiClient['ping']> {
    return this.real.ping();
  }

  /** An image a dry-run build stands for. */
  markImage(name: string): void {
    this.images.add(name);
  }

  override async json<T>(spec: RequestSpec): Promise<T> {
    const faked = this.fake(spec);
    if (faked !== undefined) return faked.json as T;
    try {
      const out = await this.real.json<T>(spec);
      if (spec.method === 'GET' && spec.path === '/containers/json') return this.withCreated(out as unknown as FakeContainer[]) as unknown as T;
      return out;
    } catch (err) {
      const answer = this.missing(spec, err);
      if (answer !== undefined) return answer as T;
      throw err;
    }
  }

  override async stream(spec: RequestSpec): Promise<StreamResponse> {
    const faked = this.fake(spec);
    if (faked !== undefined) return streamOf(faked.stream ?? (faked.json === undefined ? '' : JSON.stringify(faked.json)));
    return this.real.stream(spec);
  }

  override async hijack(): Promise<RawConn> {
    throw new Error('interactive run is not supported in dry-run mode');
  }

  private withCreated(list: FakeContainer[]): FakeContainer[] {
    return [...list.filter((c) => !this.removed.has(c.Id)), ...this.created.filter((c) => !this.removed.has(c.Id))];
  }

  /** A write answered here (undefined: a read, sent to the engine). */
  private fake(spec: RequestSpec): { json?: unknown; stream?: string } | undefined {
    const { method, path } = spec;
    if (method === 'GET' || method === 'HEAD') {
      const m = /^\/containers\/([^/]+)\/json$/.exec(path);
      const fake = m && this.created.find((c) => c.Id === dec(m[1]!));
      if (fake) return { json: inspectOf(fake) };
      return undefined;
    }
    if (method === 'POST' && path === '/containers/create') {
      const body = (spec.body ?? {}) as { Labels?: Record<string, string>; Image?: string };
      const name = String(spec.query?.['name'] ?? `dryRunId${this.created.length}`);
      this.created.push({ Id: name, Names: [`/${name}`], Labels: body.Labels ?? {}, State: 'created', Status: 'Created', Image: body.Image ?? '' });
      return { json: { Id: name, Warnings: [] } };
    }
    let m = /^\/containers\/([^/]+)\/(start|stop|restart|kill|pause|unpause|rename|wait|archive)$/.exec(path);
    if (m) {
      const c = this.created.find((x) => x.Id === dec(m![1]!));
      if (c && m[2] === 'start') c.State = 'running';
      return { json: m[2] === 'wait' ? { StatusCode: 0 } : undefined };
    }
    m = /^\/containers\/([^/]+)$/.exec(path);
    if (m && method === 'DELETE') {
      this.removed.add(dec(m[1]!));
      return { json: undefined };
    }
    if (path === '/networks/create') return { json: { Id: (spec.body as { Name?: string })?.Name ?? '', Warning: '' } };
    if (/^\/networks\/[^/]+(\/(connect|disconnect))?$/.test(path)) return { json: undefined };
    if (path === '/volumes/create') return { json: { Name: (spec.body as { Name?: string })?.Name ?? '', Driver: 'local', Labels: {}, Options: {}, Scope: 'local', Mountpoint: '' } };
    if (/^\/volumes\/[^/]+$/.test(path)) return { json: undefined };
    if (path === '/images/create') {
      const q = spec.query ?? {};
      this.images.add(`${String(q['fromImage'] ?? '')}:${String(q['tag'] ?? 'latest')}`);
      return { stream: '' };
    }
    if (path === '/build') return { stream: '' };
    m = /^\/images\/(.+)\/push$/.exec(path);
    if (m) return { stream: JSON.stringify({ status: 'Pushed', id: `${dec(m[1]!)}:${String(spec.query?.['tag'] ?? 'latest')}` }) };
    if (method === 'DELETE' && path.startsWith('/images/')) return { json: [] };
    return { json: undefined };
  }

  /** A read of something this run only pretended to make. */
  private missing(spec: RequestSpec, err: unknown): unknown {
    if (!(err instanceof ApiError) || err.statusCode !== 404 || spec.method !== 'GET') return undefined;
    const m = /^\/images\/(.+)\/json$/.exec(spec.path);
    if (!m) return undefined;
    const name = dec(m[1]!);
    const full = /:[^/]+$/.test(name) ? name : `${name}:latest`;
    return this.images.has(name) || this.images.has(full) ? { Id: 'dryRunId', RepoTags: [name], Config: {} } : undefined;
  }
}

function inspectOf(c: FakeContainer): unknown {
  return {
    Id: c.Id,
    Name: `/${c.Id}`,
    State: { Status: 'running', Running: true, Paused: false, Restarting: false, ExitCode: 0, Health: { Status: 'healthy' } },
    Config: { Labels: c.Labels, Tty: false, Image: c.Image },
    HostConfig: {},
    Mounts: [],
    NetworkSettings: { Networks: {}, Ports: {} },
  };
}

function streamOf(text: string): StreamResponse {
  const s = Readable.from(text ? [Buffer.from(text)] : []) as StreamResponse;
  s.statusCode = 200;
  s.headers = {};
  return s;
}
