/**
 * The typical first project with docker-compose 1.29 against berthd: nginx
 * built by docker-py's POST /build from a local Dockerfile on the
 * bootstrapped debian:bookworm-slim (apt-get over the daemon's bridge to the
 * host's Debian mirror), a bind-mounted site and a bind-mounted config of our
 * own, restart: unless-stopped, a published port and a container_name. The
 * page is fetched from the host, the server comes back after a daemon
 * restart, and down -v --rmi local leaves nothing. Skipped, saying why, when
 * the Debian mirror does not answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startDaemon, requireRoot } from '../../helpers/daemon.ts';
import { DEBIAN_CACHE, mirrorUnreachable } from '../../helpers/debian-mirror.ts';
import { assertClean } from '../../helpers/net-check.ts';
import { compose, freePort, mountsUnder, ok, requireCompose } from './compose-v1.ts';

const DOCKERFILE = `FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
`;

const NGINX_CONF = `user www-data;
worker_processes 1;
pid /run/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  access_log /dev/stdout;
  server {
    listen 80;
    root /srv/www;
    add_header X-Served-By compose-v1-web;
  }
}
`;

const composeFile = (site: string, port: number) => `services:
  web:
    build: .
    container_name: ${site}
    restart: unless-stopped
    ports: ["${port}:80"]
    volumes:
      - ./site:/srv/www:ro
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
`;

/** The page and our config's header, retried while the server comes up. */
async function page(port: number, tries = 100): Promise<{ status: number; body: string; servedBy: string | null }> {
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) });
      return { status: res.status, body: await res.text(), servedBy: res.headers.get('x-served-by') };
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test('docker-compose 1.29: nginx built on debian:bookworm-slim, bind-mounted site and config, back after a daemon restart, down -v --rmi local leaves nothing', { timeout: 900_000 }, async (t) => {
  if (!requireRoot(t) || !requireCompose(t)) return;
  const why = await mirrorUnreachable();
  if (why) {
    t.skip(why);
    return;
  }
  process.env.BERTH_BOOTSTRAP_CACHE = DEBIAN_CACHE; // read by the daemon started next
  const d = await startDaemon(t);
  const boot = await d.api('POST', '/images/bootstrap?name=debian:bookworm-slim');
  assert.equal(boot.status, 200, boot.text);

  const tag = randomBytes(3).toString('hex');
  const project = `cv1w${tag}`;
  const site = `${project}-site`;
  const dir = `/tmp/berth-test-cv1-${tag}`;
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.mkdir(`${dir}/site`, { recursive: true });
  await fs.writeFile(`${dir}/site/index.html`, '<h1>hello nginx</h1>\n');
  await fs.writeFile(`${dir}/Dockerfile`, DOCKERFILE);
  await fs.writeFile(`${dir}/nginx.conf`, NGINX_CONF);
  const port = await freePort();
  await fs.writeFile(`${dir}/docker-compose.yml`, composeFile(site, port));
  const dc = (args: string[]) => ok(compose(d, dir, ['-p', project, ...args], 600_000), `docker-compose ${args.join(' ')}`);

  const started = Date.now();
  const up = await dc(['up', '-d']);
  t.diagnostic(`up -d with the build: ${Date.now() - started} ms`);
  const out = up.stdout + up.stderr;
  assert.match(up.stderr, new RegExp(`Creating network "${project}_default" with the default driver`));
  assert.match(up.stderr, /Building web\n/);
  assert.match(out, /Step 2\/4 : RUN apt-get update && apt-get install -y --no-install-recommends nginx[^\n]*\n ---> Running in [0-9a-f]{12}\n[^]*Setting up nginx /);
  assert.match(out, new RegExp(`Successfully tagged ${project}_web:latest`));
  assert.match(up.stderr, new RegExp(`Creating ${site} \\.\\.\\. \\r?\\n?[^]*done`));

  assert.deepEqual(await page(port), { status: 200, body: '<h1>hello nginx</h1>\n', servedBy: 'compose-v1-web' });

  const info = (await d.api('GET', `/containers/${site}/json`)).body;
  assert.equal(info.State.Running, true);
  assert.equal(info.Config.Image, `${project}_web`);
  assert.deepEqual(info.HostConfig.RestartPolicy, { Name: 'unless-stopped', MaximumRetryCount: 0 });
  assert.equal(info.Config.Labels['com.docker.compose.project'], project);
  assert.equal(info.Config.Labels['com.docker.compose.service'], 'web');
  assert.equal(info.Config.Labels['com.docker.compose.version'], '1.29.2');
  const binds = (info.Mounts as { Type: string; Source: string; Destination: string; RW: boolean }[])
    .map((m) => [m.Type, m.Source, m.Destination, m.RW])
    .sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  assert.deepEqual(binds, [
    ['bind', `${dir}/nginx.conf`, '/etc/nginx/nginx.conf', false],
    ['bind', `${dir}/site`, '/srv/www', false],
  ]);
  const ps = await dc(['ps']);
  assert.match(ps.stdout, new RegExp(`^${site} +nginx -g daemon off; +Up +0\\.0\\.0\\.0:${port}->80/tcp`, 'm'));

  // nginx's access log on the container's stdout.
  const logs = await dc(['logs', '--no-color', 'web']);
  assert.match(logs.stdout, new RegExp(`^${site} +\\| \\S+ - - \\[[^\\]]+\\] "GET / HTTP/1\\.1" 200 `, 'm'));

  // Unchanged: neither rebuilt nor recreated.
  const again = await dc(['up', '-d']);
  assert.match(again.stderr, new RegExp(`${site} is up-to-date`));
  assert.doesNotMatch(again.stderr, /Building/);
  assert.equal((await d.api('GET', `/containers/${site}/json`)).body.Id, info.Id);

  // --build: docker-py's build again, every step from the cache, so the same image and the container left as it is.
  const rebuilt = await dc(['up', '-d', '--build']);
  assert.equal((rebuilt.stdout + rebuilt.stderr).match(/ ---> Using cache\n/g)?.length, 3, rebuilt.stdout + rebuilt.stderr);
  assert.doesNotMatch(rebuilt.stdout + rebuilt.stderr, /Running in/);
  assert.match(rebuilt.stderr, new RegExp(`${site} is up-to-date`));
  assert.equal((await d.api('GET', `/containers/${site}/json`)).body.Id, info.Id);

  // The bind mounts are live: a new page at once; a changed config once nginx restarts.
  await fs.writeFile(`${dir}/site/index.html`, '<h1>hello again</h1>\n');
  assert.equal((await page(port)).body, '<h1>hello again</h1>\n');
  await fs.writeFile(`${dir}/nginx.conf`, NGINX_CONF.replace('compose-v1-web', 'compose-v1-web-2'));
  await dc(['restart', '-t', '1', 'web']);
  const expected = { status: 200, body: '<h1>hello again</h1>\n', servedBy: 'compose-v1-web-2' };
  assert.deepEqual(await page(port), expected);

  // restart: unless-stopped: back after the daemon restarts.
  await d.stop();
  await d.restart();
  assert.deepEqual(await page(port), expected);
  const after = (await d.api('GET', `/containers/${site}/json`)).body;
  assert.equal(after.Id, info.Id);
  assert.equal(after.State.Running, true);
  assert.match((await dc(['ps'])).stdout, new RegExp(`^${site} .* Up `, 'm'));
  assert.match((await dc(['up', '-d'])).stderr, new RegExp(`${site} is up-to-date`));
  assert.equal((await d.api('GET', `/containers/${site}/json`)).body.Id, info.Id);

  // down -v --rmi local: the container, the network and the built image gone; the base image stays.
  const down = await dc(['down', '-v', '--rmi', 'local', '-t', '1']);
  assert.match(down.stderr, new RegExp(`Removing ${site}`));
  assert.match(down.stderr, new RegExp(`Removing network ${project}_default`));
  assert.match(down.stderr, new RegExp(`Removing image ${project}_web`));
  const left = await d.api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }))}`);
  assert.deepEqual(left.body, []);
  const nets = (await d.api('GET', '/networks')).body as Array<{ Name: string }>;
  assert.deepEqual(nets.map((n) => n.Name).sort(), ['bridge', 'host', 'none']);
  assert.deepEqual((await d.api('GET', '/volumes')).body.Volumes, []);
  assert.equal((await d.api('GET', `/images/${project}_web/json`)).status, 404);
  assert.equal((await d.api('GET', '/images/debian:bookworm-slim/json')).status, 200);
  assert.deepEqual(mountsUnder(d.dataRoot, dir), []);
  await assertClean(t, d);
  assert.deepEqual(mountsUnder(d.dataRoot, d.execRoot, dir), []);
});
