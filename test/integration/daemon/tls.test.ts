/**
 * The API over TCP, only with mutual TLS: the real docker CLI and berth with
 * a client certificate signed by the daemon's CA get through (hijacked
 * streams included); a client without one, or plain HTTP, does not; a
 * tcp:// host without --tlsverify is refused at start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import { BERTH, BERTHD, DOCKER, requireRoot, startDaemon } from '../../helpers/daemon.ts';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
async function makeCerts(dir: string): Promise<void> {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=berth-test-ca');
  for (const [name, ext] of [['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'], ['client', 'extendedKeyUsage=clientAuth']] as const) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    await fs.writeFile(`${dir}/${name}.ext`, `${ext}\n`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
  // The layout DOCKER_CERT_PATH names for a client: ca.pem, cert.pem, key.pem.
  await fs.mkdir(`${dir}/client`);
  await fs.copyFile(`${dir}/ca.pem`, `${dir}/client/ca.pem`);
  await fs.copyFile(`${dir}/client.pem`, `${dir}/client/cert.pem`);
  await fs.copyFile(`${dir}/client-key.pem`, `${dir}/client/key.pem`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

test('the API over TCP with mutual TLS: docker and berth with a client certificate work, others are turned away', async (t) => {
  if (!requireRoot(t)) return;
  const dir = await fs.mkdtemp('/tmp/berth-tls-');
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await makeCerts(dir);
  const port = await freePort();
  const d = await startDaemon(t, {
    args: ['-H', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', `${dir}/ca.pem`, '--tlscert', `${dir}/server.pem`, '--tlskey', `${dir}/server-key.pem`],
  });
  const overTls = { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: `${dir}/client`, DOCKER_CONFIG: `${dir}/cfg`, BERTH_HOST: '' };
  for (const cli of [DOCKER, BERTH]) {
    const run = spawnSync(cli, ['run', '--rm', 'busybox', 'sh', '-c', 'echo over tls; exit 3'], { env: { ...process.env, ...overTls }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.stdout, 'over tls\n', `${cli}: ${run.stderr}`);
    assert.equal(run.status, 3);
    const ps = spawnSync(cli, ['version', '--format', '{{.Server.APIVersion}}'], { env: { ...process.env, ...overTls }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(ps.stdout, '1.43\n', `${cli}: ${ps.stderr}`);
  }
  // Without a client certificate the handshake fails; plain HTTP gets nothing.
  const noCert = spawnSync('curl', ['-sS', '--cacert', `${dir}/ca.pem`, `https://127.0.0.1:${port}/_ping`], { encoding: 'utf8', timeout: 15_000 });
  assert.notEqual(noCert.status, 0, noCert.stdout);
  const withCert = spawnSync('curl', ['-sS', '--cacert', `${dir}/ca.pem`, '--cert', `${dir}/client.pem`, '--key', `${dir}/client-key.pem`, `https://127.0.0.1:${port}/_ping`], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(withCert.stdout, 'OK');
  const plain = spawnSync('curl', ['-sS', `http://127.0.0.1:${port}/_ping`], { encoding: 'utf8', timeout: 15_000 });
  assert.notEqual(plain.stdout, 'OK');
  // The unix socket keeps working beside it.
  assert.equal((await d.api('GET', '/_ping')).text, 'OK');
});

test('a tcp:// host without --tlsverify is refused at start', (t) => {
  if (!requireRoot(t)) return;
  const r = spawnSync(BERTHD, ['-H', 'tcp://127.0.0.1:0', '--data-root', '/tmp/berth-tls-refused', '--exec-root', '/run/berth-tls-refused'], { encoding: 'utf8', timeout: 15_000 });
  t.after(() => fs.rm('/tmp/berth-tls-refused', { recursive: true, force: true }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /berthd: a tcp:\/\/ host needs mutual TLS: start berthd with --tlsverify/);
});
