/**
 * skopeo (containers/image, a real client) copies images into and out of
 * `berth registry serve`: an OCI layout made here and a docker-archive
 * fixture; then with htpasswd basic auth, with bearer-token auth, and over
 * TLS with a self-signed certificate made by openssl.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { test } from 'node:test';
import { startRegistryProcess, tempDir } from '../../helpers/registry-server.ts';
import { writeOciLayout } from '../../helpers/oci-layout.ts';

const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../fixtures');

function sh(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function skopeo(...args: string[]): Promise<string> {
  const r = await sh('skopeo', ['--insecure-policy', ...args]);
  assert.equal(r.code, 0, `skopeo ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('skopeo copies an OCI layout into the registry and back, digests unchanged', { timeout: 120_000 }, async (t) => {
  const reg = await startRegistryProcess(t);
  const dir = tempDir(t, 'berth-skopeo');
  const img = await writeOciLayout(path.join(dir, 'src'), 'v1', { 'hello.txt': 'hello from berth\n' });
  await skopeo('copy', '--dest-tls-verify=false', `oci:${dir}/src:v1`, `docker://${reg.hostPort}/test/oci:v1`);
  const raw = await skopeo('inspect', '--raw', '--tls-verify=false', `docker://${reg.hostPort}/test/oci:v1`);
  assert.equal(raw, img.manifest.toString());
  const res = await fetch(`${reg.url}/v2/test/oci/manifests/v1`);
  assert.equal(res.headers.get('content-type'), 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(res.headers.get('docker-content-digest'), img.manifestDigest);
  await skopeo('copy', '--src-tls-verify=false', `docker://${reg.hostPort}/test/oci@${img.manifestDigest}`, `oci:${dir}/out:v1`);
  const index = JSON.parse(readFileSync(path.join(dir, 'out/index.json'), 'utf8')) as { manifests: { digest: string }[] };
  assert.equal(index.manifests[0]?.digest, img.manifestDigest);
  assert.deepEqual(readFileSync(path.join(dir, 'out/blobs/sha256', img.layerDigest.slice(7))), readFileSync(path.join(dir, 'src/blobs/sha256', img.layerDigest.slice(7))));
  const tags = (await (await fetch(`${reg.url}/v2/test/oci/tags/list`)).json()) as unknown;
  assert.deepEqual(tags, { name: 'test/oci', tags: ['v1'] });
});

test('skopeo copies a docker-archive in (Docker schema2 kept and served back) and out again', { timeout: 120_000 }, async (t) => {
  const reg = await startRegistryProcess(t);
  const dir = tempDir(t, 'berth-skopeo');
  await skopeo('copy', '--dest-tls-verify=false', `docker-archive:${FIXTURES}/busybox-ref.tar`, `docker://${reg.hostPort}/library/busybox:latest`);
  const res = await fetch(`${reg.url}/v2/library/busybox/manifests/latest`, { headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.docker.distribution.manifest.v2+json');
  const inspect = JSON.parse(await skopeo('inspect', '--tls-verify=false', `docker://${reg.hostPort}/library/busybox:latest`)) as { Layers: string[]; Os: string };
  assert.equal(inspect.Os, 'linux');
  assert.equal(inspect.Layers.length, 1);
  await skopeo('copy', '--src-tls-verify=false', `docker://${reg.hostPort}/library/busybox:latest`, `docker-archive:${dir}/out.tar:busybox:copy`);
  const back = JSON.parse(await skopeo('inspect', `docker-archive:${dir}/out.tar`)) as { Layers: string[] };
  assert.equal(back.Layers.length, 1);
});

/** An htpasswd file with one bcrypt entry, as `htpasswd -B` writes it. */
async function makeHtpasswd(dir: string, user: string, password: string): Promise<string> {
  const file = path.join(dir, 'htpasswd');
  const r = await sh('htpasswd', ['-Bbc', file, user, password]);
  assert.equal(r.code, 0, r.stderr);
  return file;
}

test('htpasswd basic auth: 401 with a Basic challenge; skopeo with --creds works, wrong ones do not', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'berth-reg-auth');
  const file = await makeHtpasswd(dir, 'alice', 's3cret');
  writeFileSync(path.join(dir, 'config.yml'), `auth:\n  htpasswd:\n    realm: Berth Test\n    path: ${file}\n`);
  const reg = await startRegistryProcess(t, { config: path.join(dir, 'config.yml') });
  const anon = await fetch(`${reg.url}/v2/`);
  assert.equal(anon.status, 401);
  assert.equal(anon.headers.get('www-authenticate'), 'Basic realm="Berth Test"');
  assert.equal(((await anon.json()) as { errors: { code: string }[] }).errors[0]?.code, 'UNAUTHORIZED');
  const good = await fetch(`${reg.url}/v2/`, { headers: { Authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` } });
  assert.equal(good.status, 200);
  const src = await writeOciLayout(path.join(dir, 'src'), 'v1', { a: 'a\n' });
  const bad = await sh('skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false', '--dest-creds', 'alice:wrong', `oci:${dir}/src:v1`, `docker://${reg.hostPort}/auth/img:v1`]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /unauthorized|authentication required/i);
  await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', 'alice:s3cret', `oci:${dir}/src:v1`, `docker://${reg.hostPort}/auth/img:v1`);
  const raw = await skopeo('inspect', '--raw', '--tls-verify=false', '--creds', 'alice:s3cret', `docker://${reg.hostPort}/auth/img:v1`);
  assert.equal(raw, src.manifest.toString());
});

test('token auth: a Bearer challenge naming realm, service and scope; tokens carry the scopes; skopeo works', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'berth-reg-token');
  const file = await makeHtpasswd(dir, 'bob', 'pw');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auth: { token: { htpasswd: file, service: 'berth-test' } } }));
  const reg = await startRegistryProcess(t, { config: path.join(dir, 'config.json') });
  const anon = await fetch(`${reg.url}/v2/tok/img/manifests/v1`);
  assert.equal(anon.status, 401);
  assert.equal(anon.headers.get('www-authenticate'), `Bearer realm="${reg.url}/token",service="berth-test",scope="repository:tok/img:pull"`);
  const basic = (u: string, p: string) => ({ Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
  assert.equal((await fetch(`${reg.url}/token?service=berth-test&scope=repository:tok/img:pull`, { headers: basic('bob', 'nope') })).status, 401);
  const tok = (await (await fetch(`${reg.url}/token?service=berth-test&scope=repository:tok/img:pull`, { headers: basic('bob', 'pw') })).json()) as { token: string };
  const pull = await fetch(`${reg.url}/v2/tok/img/manifests/v1`, { headers: { Authorization: `Bearer ${tok.token}` } });
  assert.equal(pull.status, 404);
  assert.equal(((await pull.json()) as { errors: { code: string }[] }).errors[0]?.code, 'MANIFEST_UNKNOWN');
  const push = await fetch(`${reg.url}/v2/tok/img/blobs/uploads/`, { method: 'POST', headers: { Authorization: `Bearer ${tok.token}` } });
  assert.equal(push.status, 401);
  assert.match(push.headers.get('www-authenticate') ?? '', /scope="repository:tok\/img:pull,push",error="insufficient_scope"/);
  const other = await fetch(`${reg.url}/v2/tok/other/tags/list`, { headers: { Authorization: `Bearer ${tok.token}` } });
  assert.equal(other.status, 401);
  const src = await writeOciLayout(path.join(dir, 'src'), 'v1', { b: 'b\n' });
  await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', 'bob:pw', `oci:${dir}/src:v1`, `docker://${reg.hostPort}/tok/img:v1`);
  const raw = await skopeo('inspect', '--raw', '--tls-verify=false', '--creds', 'bob:pw', `docker://${reg.hostPort}/tok/img:v1`);
  assert.equal(raw, src.manifest.toString());
  const denied = await sh('skopeo', ['--insecure-policy', 'inspect', '--raw', '--tls-verify=false', `docker://${reg.hostPort}/tok/img:v1`]);
  assert.notEqual(denied.code, 0);
});

test('TLS with a self-signed certificate: verified by Node with the cert as CA, and by skopeo with --dest-cert-dir', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'berth-reg-tls');
  const r = await sh('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(path.join(dir, 'config.yml'), 'tls:\n  certificate: cert.pem\n  key: key.pem\n');
  const reg = await startRegistryProcess(t, { config: path.join(dir, 'config.yml'), https: true });
  assert.equal(reg.url.startsWith('https://'), true);
  const ca = readFileSync(path.join(dir, 'cert.pem'));
  const status = await new Promise<number>((resolve, reject) => {
    https.get(`${reg.url}/v2/`, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
  assert.equal(status, 200);
  const certs = path.join(dir, 'certs');
  mkdirSync(certs);
  writeFileSync(path.join(certs, 'ca.crt'), ca);
  await writeOciLayout(path.join(dir, 'src'), 'v1', { c: 'c\n' });
  await skopeo('copy', '--dest-cert-dir', certs, `oci:${dir}/src:v1`, `docker://${reg.hostPort}/tls/img:v1`);
  const untrusted = await sh('skopeo', ['--insecure-policy', 'inspect', '--raw', `docker://${reg.hostPort}/tls/img:v1`]);
  assert.notEqual(untrusted.code, 0);
  assert.match(untrusted.stderr, /certificate/);
});
