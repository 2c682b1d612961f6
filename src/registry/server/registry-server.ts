/**
 * `berth registry serve` as a library: `startRegistry(config)` listens on
 * `config.addr` (HTTP, or HTTPS with `config.tls`), serves the OCI
 * distribution API from `config.root` and resolves with a handle whose
 * `close()` stops listening and ends open connections.
 */
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { log } from '../../util/log.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { htpasswdAuth, tokenAuth, type Action, type Authenticator, type Need } from './auth.ts';
import { resolveRegistryConfig, type RegistryConfig } from './config.ts';
import { errorBody, RegistryError, toRegistryError } from './errors.ts';
import * as h from './handlers.ts';
import { parseRoute, type Route } from './protocol.ts';
import { RegistryStorage } from './registry-storage.ts';

export interface RegistryHandle {
  /** `http://127.0.0.1:5000` (the port actually bound when addr asked for 0). */
  url: string;
  host: string;
  port: number;
  storage: RegistryStorage;
  close(): Promise<void>;
}

export function parseAddr(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) throw new InvalidParameterError(`invalid listen address: ${addr}`);
  const host = m[1] ?? (m[2] || '0.0.0.0');
  return { host, port: Number(m[3]) };
}

function actionsFor(method: string): Action[] {
  if (method === 'GET' || method === 'HEAD') return ['pull'];
  if (method === 'DELETE') return ['delete'];
  return ['pull', 'push'];
}

function needOf(route: Route, method: string): Need {
  if (route.kind === 'base' || route.kind === 'catalog' || route.kind === 'token') return { actions: [] };
  return { name: route.name, actions: actionsFor(method) };
}

export async function startRegistry(input: Partial<RegistryConfig>): Promise<RegistryHandle> {
  const config = resolveRegistryConfig(input);
  const storage = new RegistryStorage(config.root);
  await storage.init();
  // Uploads idle past the purge age are abandoned (distribution purges them too); a kill -9 leaves some.
  for (const u of await storage.uploads.list()) {
    if (Date.now() - u.mtimeMs > config.uploadPurgeAge * 1000) await storage.uploads.delete(u.id);
  }
  let auth: Authenticator | undefined;
  if (config.auth?.token) auth = tokenAuth(config.auth.token);
  else if (config.auth?.htpasswd) auth = htpasswdAuth(config.auth.htpasswd.path, config.auth.htpasswd.realm);
  const secure = config.tls !== undefined;
  let inFlight = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const method = req.method ?? 'GET';
    const route = parseRoute(url.pathname);
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (!route) throw new RegistryError('UNSUPPORTED', 'not found', undefined, 404);
    const hostHeader = req.headers.host ?? 'localhost';
    if (route.kind === 'token') {
      if (!auth?.issueToken) throw new RegistryError('UNSUPPORTED', 'no token service here', undefined, 404);
      const r = await auth.issueToken(req.headers.authorization, url.searchParams);
      if (r.challenge) res.setHeader('WWW-Authenticate', r.challenge);
      return h.send(res, r.status, { 'Content-Type': 'application/json' }, JSON.stringify(r.body));
    }
    if (route.kind !== 'base' && route.kind !== 'catalog') h.requireName(route.name);
    if (auth) {
      const need = needOf(route, method);
      const r = await auth.check(req.headers.authorization, need, hostHeader, secure);
      if (!r.ok) {
        res.setHeader('WWW-Authenticate', r.challenge);
        throw new RegistryError(r.denied ? 'DENIED' : 'UNAUTHORIZED', undefined, need.name ? [{ Type: 'repository', Name: need.name, Action: need.actions.join(',') }] : undefined, 401);
      }
    }
    const ctx: h.Ctx = {
      req,
      res,
      query: url.searchParams,
      storage,
      deleteEnabled: config.deleteEnabled,
      mayPull: async (name) => !auth || (await auth.check(req.headers.authorization, { name, actions: ['pull'] }, hostHeader, secure)).ok,
    };
    const m = method === 'HEAD' ? 'GET' : method;
    switch (route.kind) {
      case 'base':
        if (m !== 'GET') break;
        return h.send(res, 200, { 'Content-Type': 'application/json' }, '{}');
      case 'catalog':
        if (m === 'GET') return h.listCatalog(ctx);
        break;
      case 'manifest':
        if (m === 'GET') return h.getManifest(ctx, route.name, route.reference);
        if (m === 'PUT') return h.putManifest(ctx, route.name, route.reference);
        if (m === 'DELETE') return h.deleteManifest(ctx, route.name, route.reference);
        break;
      case 'blob':
        if (m === 'GET') return h.getBlob(ctx, route.name, route.digest);
        if (m === 'DELETE') return h.deleteBlob(ctx, route.name, route.digest);
        break;
      case 'uploads':
        if (m === 'POST') return h.startUpload(ctx, route.name);
        break;
      case 'upload':
        if (m === 'GET') return h.uploadStatus(ctx, route.name, route.id);
        if (m === 'PATCH') return h.patchUpload(ctx, route.name, route.id);
        if (m === 'PUT') return h.putUpload(ctx, route.name, route.id);
        if (m === 'DELETE') return h.cancelUpload(ctx, route.name, route.id);
        break;
      case 'tags':
        if (m === 'GET') return h.listTags(ctx, route.name);
        break;
      case 'referrers':
        if (m === 'GET') return h.listReferrers(ctx, route.name, route.digest);
        break;
    }
    throw new RegistryError('UNSUPPORTED', `method ${method} not allowed`);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (config.maxConcurrentRequests > 0 && inFlight >= config.maxConcurrentRequests) {
      res.setHeader('Retry-After', '1');
      writeError(req, res, new RegistryError('TOOMANYREQUESTS'));
      return;
    }
    inFlight++;
    res.once('close', () => {
      inFlight--;
      log.debug('registry: request', { method: req.method, url: req.url, status: res.statusCode });
    });
    handle(req, res).catch((err: unknown) => {
      const known = toRegistryError(err);
      // A client that went away mid-body is not our failure.
      if (!known && req.destroyed) log.warn('registry: request cut short', { method: req.method, url: req.url, error: err instanceof Error ? err.message : String(err) });
      else if (!known) log.error('registry: request failed', { method: req.method, url: req.url, err });
      writeError(req, res, known ?? new RegistryError('UNSUPPORTED', 'internal error', undefined, 500));
    });
  };

  const server = secure
    ? https.createServer({ cert: readFileSync(config.tls!.certificate), key: readFileSync(config.tls!.key) }, onRequest)
    : http.createServer(onRequest);
  // Large uploads are slow on purpose sometimes: no request timeout (distribution has none either).
  server.requestTimeout = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const { host, port } = parseAddr(config.addr);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  log.info('registry: listening', { addr: `${shownHost}:${bound}`, root: config.root, tls: secure, auth: config.auth?.token ? 'token' : config.auth?.htpasswd ? 'htpasswd' : 'none' });
  return {
    url: `${secure ? 'https' : 'http'}://${shownHost}:${bound}`,
    host,
    port: bound,
    storage,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function writeError(req: IncomingMessage, res: ServerResponse, err: RegistryError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(err);
  res.statusCode = err.status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
  // The rest of a body we did not read is not worth waiting for.
  if (!req.complete) res.setHeader('Connection', 'close');
  res.end(req.method === 'HEAD' ? undefined : body);
}
