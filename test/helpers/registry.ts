/**
 * startRegistry(t): Debian's docker-registry (distribution 2.8.2) on
 * 127.0.0.1 with a free port and a temp storage dir, optionally with
 * htpasswd basic auth; stopped by its PID and its dir removed in `t.after`.
 * `push(src, ref)` copies an image into it with skopeo (`docker-archive:…`,
 * `oci:…`); `log()` is its access log so far (one JSON object a line).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { TestContext } from 'node:test';
import { freePort } from './net-check.ts';

export interface Registry {
  port: number;
  /** `127.0.0.1:PORT` */
  host: string;
  dir: string;
  child: ChildProcess;
  auth?: { user: string; pass: string };
  /** skopeo copy `src` (a transport:path) to `docker://HOST/ref`. */
  push(src: string, ref: string, extraArgs?: string[]): void;
  /** Lines of the registry's log (access lines carry `http.request.uri`). */
  log(): string[];
  /** GET requests for blobs seen so far (their URIs). */
  blobGets(): string[];
  stop(): Promise<void>;
  /** GET a registry path (`/v2/a/b/tags/list`), with the registry's credentials when it has them. */
  get(urlPath: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; text: string }>;
}

export async function startRegistry(t: TestContext, opts: { auth?: { user: string; pass: string }; tls?: boolean } = {}): Promise<Registry> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-reg-'));
  const port = await freePort();
  const logFile = path.join(dir, 'registry.log');
  let authYaml = '';
  if (opts.auth) {
    const r = spawnSync('htpasswd', ['-Bbn', opts.auth.user, opts.auth.pass], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`htpasswd: ${r.stderr}`);
    await fs.writeFile(path.join(dir, 'htpasswd'), r.stdout);
    authYaml = `auth:\n  htpasswd:\n    realm: basic-realm\n    path: ${dir}/htpasswd\n`;
  }
  let tlsYaml = '';
  if (opts.tls) {
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
    tlsYaml = `  tls:\n    certificate: ${dir}/cert.pem\n    key: ${dir}/key.pem\n`;
  }
  const config = `version: 0.1
log:
  level: info
  formatter: json
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: ${dir}/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
${tlsYaml}${authYaml}`;
  await fs.writeFile(path.join(dir, 'config.yml'), config);
  const out = await fs.open(logFile, 'a');
  const child = spawn('/usr/bin/docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', out.fd, out.fd] });
  await out.close();
  const reg: Registry = {
    port,
    host: `127.0.0.1:${port}`,
    dir,
    child,
    auth: opts.auth,
    push(src, ref, extraArgs = []) {
      const creds = opts.auth ? ['--dest-creds', `${opts.auth.user}:${opts.auth.pass}`] : [];
      const r = spawnSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...creds, ...extraArgs, src, `docker://${reg.host}/${ref}`], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`skopeo copy ${src} → ${ref}: ${r.stderr}`);
    },
    log: () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean),
    async get(urlPath, headers = {}) {
      const basic: Record<string, string> = opts.auth ? { authorization: `Basic ${Buffer.from(`${opts.auth.user}:${opts.auth.pass}`).toString('base64')}` } : {};
      const res = await fetch(`http://${reg.host}${urlPath}`, { headers: { ...basic, ...headers } });
      return { status: res.status, headers: res.headers, text: await res.text() };
    },
    blobGets: () =>
      reg
        .log()
        .flatMap((l) => {
          try {
            const j = JSON.parse(l) as Record<string, unknown>;
            return j['http.request.method'] === 'GET' && /\/blobs\/sha256:/.test(String(j['http.request.uri'] ?? '')) && typeof j['http.response.status'] === 'number' ? [String(j['http.request.uri'])] : [];
          } catch {
            return [];
          }
        }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
  t.after(async () => {
    await reg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if (opts.tls) {
        const r = spawnSync('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', `https://${reg.host}/v2/`], { encoding: 'utf8' });
        if (r.stdout === '200' || r.stdout === '401') break;
      } else {
        const res = await fetch(`http://${reg.host}/v2/`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200 || res.status === 401) break;
      }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`docker-registry did not start: ${readFileSync(logFile, 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return reg;
}
