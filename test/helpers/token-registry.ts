/**
 * docker-registry behind bearer-token auth, with a token server of the
 * test's own: a self-signed certificate (openssl) whose key signs RS256
 * JWTs carrying it in `x5c`; the registry trusts it as its root bundle.
 * The token server grants the requested actions to `user`/`pass` (and a
 * refresh token when asked `offline_token=true`, redeemed by the OAuth2
 * POST), only `pull` to anonymous requests, and answers 401 with a
 * Docker-Hub-like error document to wrong credentials.
 */
import { createSign, randomBytes } from 'node:crypto';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from './net-check.ts';

export interface TokenRegistry {
  host: string;
  /** Token requests seen (their query strings). */
  tokenRequests: string[];
}

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

export async function startTokenRegistry(t: TestContext, creds = { user: 'user', pass: 'pass' }): Promise<TokenRegistry> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-tokreg-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=berth-test-token'], { stdio: 'ignore' });
  const key = readFileSync(`${dir}/key.pem`, 'utf8');
  const certDer = readFileSync(`${dir}/cert.pem`, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const tokenPort = await freePort();
  const port = await freePort();
  const service = 'berth-test-registry';
  const tokenRequests: string[] = [];

  const sign = (access: { type: string; name: string; actions: string[] }[], sub: string) => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer] }));
    const claims = b64url(JSON.stringify({ iss: 'berth-test-issuer', sub, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const s = createSign('RSA-SHA256');
    s.update(`${header}.${claims}`);
    return `${header}.${claims}.${b64url(s.sign(key))}`;
  };

  const refreshTokens = new Map<string, string>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let user = '';
    if (req.method === 'POST') {
      // The OAuth2 refresh-token grant (credentials that carry an identity token).
      let body = '';
      for await (const c of req) body += String(c);
      const form = new URLSearchParams(body);
      tokenRequests.push(`POST ${body}`);
      const owner = refreshTokens.get(form.get('refresh_token') ?? '');
      if (form.get('grant_type') !== 'refresh_token' || !owner) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid refresh token' }] }));
        return;
      }
      for (const scope of (form.get('scope') ?? '').split(' ').filter(Boolean)) url.searchParams.append('scope', scope);
      user = owner;
    }
    if (req.method !== 'POST') tokenRequests.push(url.search);
    const authz = req.method === 'POST' ? '' : (req.headers.authorization ?? '');
    if (authz.startsWith('Basic ')) {
      const [u = '', p = ''] = Buffer.from(authz.slice(6), 'base64').toString().split(':');
      if (u !== creds.user || p !== creds.pass) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] }));
        return;
      }
      user = u;
    }
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const [type = '', name = '', actions = ''] = scope.split(':');
      const granted = actions.split(',').filter((a) => user !== '' || a === 'pull');
      return granted.length ? [{ type, name, actions: granted }] : [];
    });
    const token = sign(access, user);
    const answer: Record<string, unknown> = { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() };
    if (user && url.searchParams.get('offline_token') === 'true') {
      const refresh = randomBytes(16).toString('hex');
      refreshTokens.set(refresh, user);
      answer.refresh_token = refresh;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(tokenPort, '127.0.0.1', r));

  const config = `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${dir}/data
http:
  addr: 127.0.0.1:${port}
auth:
  token:
    realm: http://127.0.0.1:${tokenPort}/token
    service: ${service}
    issuer: berth-test-issuer
    rootcertbundle: ${dir}/cert.pem
`;
  await fs.writeFile(`${dir}/config.yml`, config);
  const out = await fs.open(`${dir}/registry.log`, 'a');
  const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', `${dir}/config.yml`], { stdio: ['ignore', out.fd, out.fd] });
  await out.close();
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise((r) => server.close(r));
    await fs.rm(dir, { recursive: true, force: true });
  });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(`http://${host}/v2/`);
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`docker-registry did not start: ${readFileSync(`${dir}/registry.log`, 'utf8').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { host, tokenRequests };
}
