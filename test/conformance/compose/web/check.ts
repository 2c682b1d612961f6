import assert from 'node:assert/strict';
import { fetchText } from '../../../helpers/net-check.ts';
import type { Check } from '../harness.ts';

/** The page and the header our bind-mounted nginx.conf adds (so the config in use is ours). */
async function page(port: number, tries?: number): Promise<{ body: string; servedBy: string | null }> {
  const body = await fetchText('127.0.0.1', port, tries);
  const res = await fetch(`http://127.0.0.1:${port}/`);
  await res.text();
  return { body, servedBy: res.headers.get('x-served-by') };
}

export const check: Check = async (c) => {
  const why = await c.debianImage();
  if (why) return c.skip(why);
  const site = `${c.project}-site`;
  const started = Date.now();
  const up = await c.compose(['up', '-d']);
  const took = Date.now() - started;
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, '');
  // First the build (the classic builder's output, Debian's nginx from the mirror), then the progress lines.
  assert.match(up.stderr, /^Sending build context to Docker daemon +[\d.]+k?B\r*\n/);
  const step2 = /\nStep 1\/5 : FROM debian:bookworm-slim\n ---> [0-9a-f]{12}\nStep 2\/5 : RUN apt-get update +&& apt-get install -y --no-install-recommends nginx +&& rm -rf \/var\/lib\/apt\/lists\/\*\n ---> (Running in [0-9a-f]{12}|Using cache)\n/.exec(up.stderr);
  assert.ok(step2, up.stderr.slice(0, 2000));
  // apt-get ran on the engine's bridge against the host's Debian mirror (unless an earlier run's layer is still cached).
  if (step2[1] !== 'Using cache') assert.match(up.stderr, /\nSetting up nginx \(1\.22\.[^)]*\) \.\.\./);
  // Compose's classic build labels the image with its builder: a LABEL step after the Dockerfile's, as dockerd adds it.
  assert.match(up.stderr, /\nStep 4\/5 : CMD \["nginx", "-g", "daemon off;"\]\n[^]*\nStep 5\/5 : LABEL com\.docker\.compose\.image\.builder=classic\n/);
  const built = /\nSuccessfully built ([0-9a-f]{12})\nSuccessfully tagged ([^\n]+)\n/.exec(up.stderr);
  assert.ok(built, up.stderr.slice(-2000));
  assert.equal(built[2], `${c.project}-web:latest`);
  assert.equal(
    up.stderr.slice(built.index + built[0].length),
    ` Network ${c.project}_default  Creating\n Network ${c.project}_default  Created\n Container ${site}  Creating\n Container ${site}  Created\n Container ${site}  Starting\n Container ${site}  Started\n`,
  );
  console.log(`# web: up -d with the build took ${took} ms`);

  // The page from the host, served by nginx with our config.
  assert.deepEqual(await page(c.port), { body: '<h1>berth compose web</h1>\n', servedBy: 'berth-compose-web' });

  const [web] = await c.containers();
  assert.equal(web?.Names[0], `/${site}`);
  const info = (await c.daemon.api('GET', `/containers/${web!.Id}/json`)).body;
  assert.deepEqual(info.HostConfig.RestartPolicy, { Name: 'unless-stopped', MaximumRetryCount: 0 });
  assert.equal(info.Config.Image, `${c.project}-web`);
  assert.deepEqual(info.Config.Cmd, ['nginx', '-g', 'daemon off;']);
  assert.equal(info.Config.Labels['com.docker.compose.service'], 'web');
  assert.equal(info.Config.Labels['com.docker.compose.container-number'], '1');
  const image = (await c.daemon.api('GET', `/images/${c.project}-web/json`)).body;
  assert.equal(image.Id.slice('sha256:'.length, 'sha256:'.length + 12), built[1]);
  assert.equal(info.Config.Labels['com.docker.compose.image'], image.Id);
  assert.equal(image.Config.Labels['com.docker.compose.image.builder'], 'classic');
  const binds = (info.Mounts as { Type: string; Source: string; Destination: string; RW: boolean }[])
    .map((m) => [m.Type, m.Source, m.Destination, m.RW])
    .sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  assert.deepEqual(binds, [
    ['bind', `${c.dir}/conf/nginx.conf`, '/etc/nginx/nginx.conf', false],
    ['bind', `${c.dir}/www`, '/srv/www', false],
  ]);

  const ps = await c.compose(['ps']);
  assert.equal(ps.code, 0, ps.stderr);
  const lines = ps.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS$/);
  assert.match(lines[1]!, new RegExp(`^${site} +${c.project}-web +"nginx -g 'daemon of…" +web +.* +Up .* +0\\.0\\.0\\.0:${c.port}->80/tcp`));

  // nginx logs to the container's stdout: the requests above, under the container_name.
  const logs = await c.compose(['logs', '--no-color']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, new RegExp(`^${site}  \\| \\S+ - - \\[[^\\]]+\\] "GET / HTTP/1\\.1" 200 27 `, 'm'));

  // The published port, and nginx checking the bind-mounted config inside the running container.
  const port = await c.compose(['port', 'web', '80']);
  assert.equal(port.stdout, `0.0.0.0:${c.port}\n`, port.stderr);
  const test = await c.compose(['exec', '-T', 'web', 'nginx', '-t']);
  assert.equal(test.code, 0, test.stderr);
  assert.equal(test.stdout, '');
  assert.equal(test.stderr, 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');

  // Unchanged: `up -d` again neither rebuilds nor recreates; it leaves it running.
  const again = await c.compose(['up', '-d']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stderr, ` Container ${site}  Running\n`);
  assert.equal((await c.containers())[0]?.Id, web!.Id);
  // --build: every step from the cache, the same image, so the container is left running too.
  const rebuilt = await c.compose(['up', '-d', '--build']);
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  assert.equal(rebuilt.stderr.match(/ ---> Using cache\n/g)?.length, 4, rebuilt.stderr);
  assert.match(rebuilt.stderr, new RegExp(`\nSuccessfully tagged ${c.project}-web:latest\n Container ${site}  Running\n$`));
  assert.equal((await c.containers())[0]?.Id, web!.Id);

  // restart: unless-stopped brings it back after a daemon restart (not the shared reference engine's).
  if (!c.reference) {
    await c.daemon.stop();
    await c.daemon.restart();
    assert.deepEqual(await page(c.port, 100), { body: '<h1>berth compose web</h1>\n', servedBy: 'berth-compose-web' });
    const after = await c.compose(['ps', '--format', 'json']);
    assert.equal(JSON.parse(after.stdout).State, 'running');
    assert.equal((await c.containers())[0]?.Id, web!.Id);
    const still = await c.compose(['up', '-d']);
    assert.equal(still.stderr, ` Container ${site}  Running\n`);
  }

  // down --rmi local takes the built image too (the base image stays).
  const down = await c.compose(['down', '--rmi', 'local', '-t', '1']);
  assert.equal(down.code, 0, down.stderr);
  assert.equal((await c.daemon.api('GET', `/images/${c.project}-web/json`)).status, 404);
  assert.equal((await c.daemon.api('GET', '/images/debian:bookworm-slim/json')).status, 200);
};
