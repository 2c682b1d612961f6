/**
 * berth is a Docker client, not one tied to berthd: against a real Docker
 * engine (../shared/tools/reference-docker start) it runs the everyday
 * commands, negotiating the engine's older API version, and prints what the
 * docker CLI prints for the same engine. Skipped where no reference engine
 * runs (CI machines have none).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BERTH, DOCKER, runCli } from '../../helpers/daemon.ts';
import { REFERENCE_DOCKER_HOST, referenceDockerRunning } from '../../helpers/reference-docker.ts';

const engine = { host: REFERENCE_DOCKER_HOST };
const berth = (args: string[]) => runCli(BERTH, engine, args);
const docker = (args: string[]) => runCli(DOCKER, engine, args);

test('berth against a real Docker engine: version, images, run --rm, ps, logs, inspect, rm', async (t) => {
  if (!referenceDockerRunning()) {
    t.skip('no reference Docker engine (../shared/tools/reference-docker start)');
    return;
  }
  const name = `berth-ref-${process.pid}`;
  t.after(() => docker(['rm', '-f', name]));

  const version = await berth(['version', '--format', '{{.Server.Version}} {{.Client.APIVersion}}']);
  assert.equal(version.code, 0, version.stderr);
  const server = await docker(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}']);
  const [serverVersion, serverApi] = server.stdout.trim().split(' ');
  assert.equal(version.stdout.trim(), `${serverVersion} ${serverApi}`, 'the client speaks the engine API version');

  const images = await berth(['images', 'busybox-ref']);
  assert.equal(images.code, 0, images.stderr);
  assert.equal(images.stdout, (await docker(['images', 'busybox-ref'])).stdout);

  const run = await berth(['run', '--rm', 'busybox-ref', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(run.code, 3);
  assert.equal(run.stdout, 'out\n');
  assert.equal(run.stderr, 'err\n');

  const started = await berth(['run', '-d', '--name', name, '--label', 'from=berth', 'busybox-ref', 'sh', '-c', 'echo hello; echo oops >&2; sleep 60']);
  assert.equal(started.code, 0, started.stderr);
  const id = started.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);

  const psFormat = ['ps', '--filter', `name=${name}`, '--format', '{{.ID}} {{.Image}} {{.Command}} {{.Names}} {{.Label "from"}}'];
  const ps = await berth(psFormat);
  assert.match(ps.stdout, new RegExp(`^${id.slice(0, 12)} busybox-ref "sh -c 'echo hello; .*…" ${name} berth\n$`));
  assert.equal(ps.stdout, (await docker(psFormat)).stdout);

  let logs = await berth(['logs', name]);
  for (let i = 0; i < 40 && logs.stdout !== 'hello\n'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    logs = await berth(['logs', name]);
  }
  assert.equal(logs.stdout, 'hello\n');
  assert.equal(logs.stderr, 'oops\n');

  const inspectFormat = ['inspect', '-f', '{{.Id}} {{.Name}} {{.State.Status}} {{.Config.Labels.from}} {{json .Config.Cmd}}', name];
  const inspect = await berth(inspectFormat);
  assert.equal(inspect.stdout, `${id} /${name} running berth ["sh","-c","echo hello; echo oops >&2; sleep 60"]\n`);
  assert.equal(inspect.stdout, (await docker(inspectFormat)).stdout);
  const whole = await berth(['inspect', name]);
  assert.deepEqual(JSON.parse(whole.stdout), JSON.parse((await docker(['inspect', name])).stdout));

  const rm = await berth(['rm', '-f', name]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout, `${name}\n`);
  const gone = await berth(['inspect', name]);
  assert.equal(gone.code, 1);
  assert.equal(gone.stderr, (await docker(['inspect', name])).stderr);
});
