// The bearer-token dance against a tiny in-process HTTP server that speaks
// only the challenge and token protocol (docker/distribution's token spec):
// the challenge primes the authenticator, GET with basic credentials or the
// OAuth2 POST with an identity token, scopes asked, the token reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator } from './auth.ts';
import { RegistryClient } from './registry-client.ts';

async function tokenRegistry(t: import('node:test').TestContext) {
  const log: { path: string; method: string; auth?: string; body?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      log.push({ path: req.url!, method: req.method!, auth: req.headers.authorization, body });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (url.pathname === '/token') {
        if (req.method === 'POST') {
          const form = new URLSearchParams(body);
          if (form.get('refresh_token') !== 'idtok') return void res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED","message":"bad refresh token"}]}');
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-oauth', expires_in: 300 }));
        }
        if (req.headers.authorization !== `Basic ${Buffer.from('u:p').toString('base64')}`) return void res.writeHead(401).end('{"details":"incorrect username or password"}');
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'tok-basic', expires_in: 300 }));
      }
      const ok = req.headers.authorization === 'Bearer tok-basic' || req.headers.authorization === 'Bearer tok-oauth';
      if (!ok) {
        const scope = url.pathname === '/v2/' ? '' : `,scope="repository:app:pull"`;
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="test-registry"${scope}`, 'content-type': 'application/json' });
        return void res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      }
      const doc = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}');
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': doc.length });
      res.end(req.method === 'HEAD' ? undefined : doc);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { log, endpoint: { url, registry: url.slice(7), mirror: false, insecureTls: true } };
}

test('bearer tokens: fetched with basic credentials for the repository scope, then reused', async (t) => {
  const reg = await tokenRegistry(t);
  const client = new RegistryClient(reg.endpoint, 'app', new Authenticator({ username: 'u', password: 'p' }));
  await client.ping();
  await client.getManifest('latest');
  await client.headManifest('latest');
  await client.getManifest('v2');
  const tokens = reg.log.filter((l) => l.path.startsWith('/token'));
  assert.equal(tokens.length, 1);
  const u = new URL(tokens[0]!.path, 'http://x');
  assert.equal(u.searchParams.get('service'), 'test-registry');
  assert.deepEqual(u.searchParams.getAll('scope'), ['repository:app:pull']);
  assert.equal(u.searchParams.get('account'), 'u');
  assert.ok(reg.log.filter((l) => l.path.startsWith('/v2/app/')).every((l) => l.auth === 'Bearer tok-basic'));
});

test('an identity token is exchanged with the OAuth2 POST; wrong credentials fail in the registry words', async (t) => {
  const reg = await tokenRegistry(t);
  const client = new RegistryClient(reg.endpoint, 'app', new Authenticator({ identitytoken: 'idtok' }));
  await client.ping();
  await client.getManifest('latest');
  const post = reg.log.find((l) => l.path === '/token' && l.method === 'POST')!;
  const form = new URLSearchParams(post.body);
  assert.equal(form.get('grant_type'), 'refresh_token');
  assert.equal(form.get('client_id'), 'docker');
  assert.equal(form.get('scope'), 'repository:app:pull');

  const bad = new RegistryClient(reg.endpoint, 'app', new Authenticator({ username: 'u', password: 'wrong' }));
  await bad.ping();
  await assert.rejects(bad.getManifest('latest'), { message: 'incorrect username or password' });
  const anon = new RegistryClient(reg.endpoint, 'app', new Authenticator({}));
  await anon.ping();
  await assert.rejects(anon.getManifest('latest'), { message: 'incorrect username or password' });
});

test('blob redirects (a storage backend) are followed, without the registry credentials', async (t) => {
  const seen: { auth?: string; range?: string }[] = [];
  const storage = http.createServer((req, res) => {
    seen.push({ auth: req.headers.authorization, range: req.headers.range as string | undefined });
    res.writeHead(206, { 'content-range': 'bytes 3-9/10', 'content-length': 7 }).end('3456789');
  });
  await new Promise<void>((r) => storage.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => storage.close(r)));
  const registry = http.createServer((req, res) => {
    if (req.url === '/v2/') return void res.writeHead(200).end('{}');
    res.writeHead(307, { location: `http://127.0.0.1:${(storage.address() as AddressInfo).port}/blob?sig=x` }).end();
  });
  await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => registry.close(r)));
  const url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  const client = new RegistryClient({ url, registry: url.slice(7), mirror: false, insecureTls: true }, 'app', new Authenticator({ registrytoken: 'secret' }));
  (client.auth as unknown as { challenges: Map<string, unknown> }).challenges.set(url, { scheme: 'bearer', params: { realm: 'x' } });
  const blob = await client.getBlob(('sha256:' + 'a'.repeat(64)) as never, 3);
  let body = '';
  for await (const c of blob.stream) body += c.toString();
  assert.equal(body, '3456789');
  assert.equal(blob.start, 3);
  assert.equal(blob.size, 10);
  assert.deepEqual(seen, [{ auth: undefined, range: 'bytes=3-' }]);
});
