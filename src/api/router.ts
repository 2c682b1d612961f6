/**
 * Routes by method and path pattern. Patterns use `{param}` for one path
 * segment and `{param*}` for a greedy run of segments (image names contain
 * slashes: `/images/localhost:5000/a/b/json`). Handlers return a value (sent
 * as 200 JSON), or write the reply themselves and return undefined.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { InvalidParameterError } from '../util/errors.ts';
import type { BodyOperation } from './decode/schemas.generated.ts';

export interface RouteContext {
  req: IncomingMessage;
  /** Absent for hijacked (HTTP Upgrade) requests until `hijack()`; then use the socket. */
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Negotiated API version, e.g. 1.43 */
  version: number;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  json(status: number, value: unknown): void;
  noContent(status?: number): void;
  /**
   * The JSON body, bounded (`MAX_JSON_BODY` bytes, Go's nesting limit); with
   * `operation`, checked against that operation's contract and rebuilt from
   * the fields it knows (see decode/body-validator.ts). An empty body is `{}`,
   * or with `required` dockerd's 500 "EOF" (its decoder met the end at once).
   */
  bodyJson<T>(operation?: BodyOperation, options?: { required?: boolean }): Promise<T>;
  /**
   * Take over the connection for a raw stream (attach, exec start): answers
   * `101 UPGRADED` when the client asked for an upgrade, `200 OK` otherwise,
   * with Docker's raw-stream content type, and returns the socket.
   */
  hijack(contentType?: string): Duplex;
}

export type Handler = (ctx: RouteContext) => Promise<unknown>;

/** A handler of one resource's routes, given that resource's backend (the narrow interface its route file declares). */
export type BackendHandler<B> = (ctx: RouteContext, backend: B) => Promise<unknown>;

/** Adds routes whose handlers all get `backend`: `const add = routesOver(router, backend); add('GET', '/x', handler)`. */
export function routesOver<B>(router: Router, backend: B): (method: string, path: string, handler: BackendHandler<B>) => void {
  return (method, path, handler) => router.add(method, path, (ctx) => handler(ctx, backend));
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): void {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)(\*?)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return m[2] ? '(.+?)' : '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, handler });
  }

  /** The handler and params for a request, or why none: 'not-found' | 'method'. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'not-found' {
    const m = method === 'HEAD' ? ['HEAD', 'GET'] : [method];
    for (const want of m) {
      for (const route of this.routes) {
        if (route.method !== want) continue;
        const hit = route.pattern.exec(path);
        if (!hit) continue;
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          try {
            params[name] = decodeURIComponent(hit[i + 1]!);
          } catch {
            throw new InvalidParameterError(`invalid path parameter ${name}`);
          }
        });
        return { handler: route.handler, params };
      }
    }
    return 'not-found';
  }
}
