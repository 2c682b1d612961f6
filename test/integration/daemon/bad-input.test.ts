/**
 * Bad input at the API edge: every body of issue 9's list gets dockerd's
 * status and words, and afterwards the daemon answers and the real docker CLI
 * still lists and inspects every container. A seeded fuzz run does the same
 * with a few hundred generated malformed bodies and queries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, requireRoot, docker, apiRequest, type Daemon } from '../../helpers/daemon.ts';
import { seededRandom } from '../../helpers/seeded-random.ts';

const B = '"Image":"busybox","Cmd":["true"]';
const raw = (d: Daemon, method: string, path: string, body?: string) => apiRequest(d.socket, method, path, body === undefined ? undefined : Buffer.from(body));

async function assertHealthy(d: Daemon, why: string): Promise<void> {
  assert.equal((await raw(d, 'GET', '/_ping')).status, 200, `daemon answers after ${why}`);
  const ps = await docker(d, ['ps', '-a', '-q', '--no-trunc']);
  assert.equal(ps.code, 0, `docker ps -a after ${why}: ${ps.stderr}`);
  const ids = ps.stdout.split('\n').filter(Boolean);
  if (ids.length) {
    const inspect = await docker(d, ['inspect', ...ids]);
    assert.equal(inspect.code, 0, `docker inspect after ${why}: ${inspect.stderr}`);
  }
}

// Type errors as dockerd 20.10 words them (reference engine); a body that is not JSON as current dockerd
// words it ("invalid JSON: " and Go's scanner message). The status is 400, as current dockerd answers.
const CREATES: Array<[string, string]> = [
  [`{${B},"Labels":{"a":5}}`, 'json: cannot unmarshal number into Go struct field ContainerConfigWrapper.Labels of type string'],
  [`{${B},"StopTimeout":1e300}`, 'json: cannot unmarshal number 1e300 into Go struct field ContainerConfigWrapper.StopTimeout of type int'],
  [`{${B},"Healthcheck":{"Test":5}}`, 'json: cannot unmarshal number into Go struct field HealthConfig.Healthcheck.Test of type []string'],
  [`{${B},"HostConfig":{"Memory":1e308}}`, 'json: cannot unmarshal number 1e308 into Go struct field HostConfig.HostConfig.Memory of type int64'],
  [`{${B},"HostConfig":{"ShmSize":1e20}}`, 'json: cannot unmarshal number 1e20 into Go struct field HostConfig.HostConfig.ShmSize of type int64'],
  [`{${B},"HostConfig":{"Tmpfs":{"/x":5}}}`, 'json: cannot unmarshal number into Go struct field HostConfig.HostConfig.Tmpfs of type string'],
  [`{${B},"HostConfig":{"Devices":[5]}}`, 'json: cannot unmarshal number into Go struct field HostConfig.HostConfig.Devices of type container.DeviceMapping'],
  [`{${B},"HostConfig":{"Ulimits":[{"Name":"nofile","Soft":"x","Hard":5}]}}`, 'json: cannot unmarshal string into Go struct field Ulimit.HostConfig.Ulimits.Soft of type int64'],
  [`{${B},"HostConfig":{"ConsoleSize":[-1,-1]}}`, 'json: cannot unmarshal number -1 into Go struct field HostConfig.HostConfig.ConsoleSize of type uint'],
  [`{${B},"HostConfig":{"ConsoleSize":"x"}}`, 'json: cannot unmarshal string into Go struct field HostConfig.HostConfig.ConsoleSize of type [2]uint'],
  [`{"Image":"busybox","X":${'['.repeat(10_001)}`, "invalid JSON: invalid character '[' exceeded max depth"],
];

test('each bad body of issue 9 gets dockerd status and words, and docker ps -a keeps working', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  for (const [body, message] of CREATES) {
    const r = await raw(d, 'POST', '/containers/create', body);
    // dockerd 20.10's create answers a type error with 500 (its decoder's error is untyped), bad JSON text with 400.
    assert.equal(r.status, message.startsWith('json: ') ? 500 : 400, `${body.slice(0, 80)}: ${r.text}`);
    assert.equal(r.body?.message, message);
    await assertHealthy(d, body.slice(0, 80));
  }
  // Go's decoder takes nesting up to its limit in a field it does not know, and drops the field.
  const deep = await raw(d, 'POST', '/containers/create', `{${B},"X":${'['.repeat(9_998)}${']'.repeat(9_998)}}`);
  assert.equal(deep.status, 201, deep.text);
  // A body past the bound is refused before it is read whole.
  const huge = await raw(d, 'POST', '/containers/create', `{${B},"Labels":{"a":"${'x'.repeat(17 * 1024 * 1024)}"}}`);
  assert.equal(huge.status, 413, huge.text);
  await assertHealthy(d, 'deep and huge bodies');

  const id = (await docker(d, ['run', '-d', '--name', 'bad-input-run', 'busybox', 'sleep', '300'])).stdout.trim();
  assert.ok(id);
  const kill = await raw(d, 'POST', '/containers/bad-input-run/kill?signal=999');
  assert.deepEqual([kill.status, kill.body?.message], [500, 'Cannot kill container: bad-input-run: The linux daemon does not support signal 999']);
  const bogus = await raw(d, 'POST', '/containers/bad-input-run/kill?signal=SIGFOO');
  assert.deepEqual([bogus.status, bogus.body?.message], [400, 'Invalid signal: SIGFOO']);
  const stop = await raw(d, 'POST', '/containers/bad-input-run/stop?t=1.5');
  assert.deepEqual([stop.status, stop.body?.message], [500, 'strconv.Atoi: parsing "1.5": invalid syntax']);
  const resize = await raw(d, 'POST', '/containers/bad-input-run/resize?h=x&w=1');
  assert.deepEqual([resize.status, resize.body?.message], [400, 'strconv.Atoi: parsing "x": invalid syntax']);
  const update = await raw(d, 'POST', '/containers/bad-input-run/update', '{"Memory":1e308}');
  assert.deepEqual([update.status, update.body?.message], [500, 'json: cannot unmarshal number 1e308 into Go struct field UpdateConfig.Memory of type int64']);
  const exec = await raw(d, 'POST', '/containers/bad-input-run/exec', '{"Cmd":"true"}');
  assert.deepEqual([exec.status, exec.body?.message], [400, 'json: cannot unmarshal string into Go struct field ExecConfig.Cmd of type []string']);
  await assertHealthy(d, 'bad queries');
});

const random = seededRandom;

const FIELDS = ['Labels', 'StopTimeout', 'Healthcheck', 'Env', 'Cmd', 'Entrypoint', 'Tty', 'ExposedPorts', 'Volumes', 'User', 'WorkingDir', 'StopSignal'];
const HOST_FIELDS = ['Memory', 'ShmSize', 'Tmpfs', 'Devices', 'Ulimits', 'ConsoleSize', 'RestartPolicy', 'PortBindings', 'Binds', 'CpuShares', 'BlkioWeight', 'PidsLimit', 'LogConfig', 'Mounts', 'Sysctls', 'OomScoreAdj'];

test('a seeded fuzz of malformed bodies and queries never breaks the daemon or docker ps', async (t) => {
  if (!requireRoot(t)) return;
  const d = await startDaemon(t);
  const rnd = random(9);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const values = (): string =>
    pick([
      () => '5', () => '-1', () => '1e300', () => '1.5', () => '-1e308', () => '9223372036854775808', () => '"x"', () => 'true', () => 'null',
      () => '[5]', () => '{"a":5}', () => '[[["x"]]]', () => '{"":{"":[]}}', () => `${'['.repeat(200)}${']'.repeat(200)}`,
      () => `{"Test":${pick(['5', '["CMD","true"]', '"x"'])},"Interval":${pick(['1.5', '"1s"', '1000000000'])}}`,
      () => `[{"Name":"nofile","Soft":${pick(['"x"', '1e3', '10'])},"Hard":${pick(['5', '-1', '1.0'])}}]`,
      () => '"../../../etc/passwd"', () => '"\\u0000"',
    ])();
  const bodies = (): string => {
    const config = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `"${pick(FIELDS)}":${values()}`);
    const host = Array.from({ length: Math.floor(rnd() * 3) }, () => `"${pick(HOST_FIELDS)}":${values()}`);
    const body = `{"Image":"busybox","Cmd":["true"],${config.join(',')}${host.length ? `,"HostConfig":{${host.join(',')}}` : ''}}`;
    // Some bodies are cut short or nested past Go's limit.
    const r = rnd();
    if (r < 0.05) return body.slice(0, Math.floor(rnd() * body.length));
    if (r < 0.08) return `{"Labels":${'{"a":'.repeat(10_001)}`;
    return body;
  };
  const queries = (): [string, string] =>
    pick([
      (): [string, string] => ['POST', `/containers/fuzz-target/kill?signal=${encodeURIComponent(pick(['999', '-1', '0', 'SIGFOO', '', '65', 'RTMAX-100', '%']))}`],
      (): [string, string] => ['POST', `/containers/fuzz-target/stop?t=${pick(['x', '1.5', '99999999999999999999', '-1'])}`],
      (): [string, string] => ['GET', `/containers/json?limit=${pick(['x', '1e3', '-1'])}&filters=${encodeURIComponent(pick(['x', '{"status":5}', '[1]', '{"label":["a"]}']))}`],
      (): [string, string] => ['POST', `/containers/fuzz-target/resize?h=${pick(['x', '-1', '99999999999'])}&w=1`],
      (): [string, string] => ['GET', `/containers/${encodeURIComponent(pick(['..', '../../etc', '%00', 'a/b']))}/json`],
      (): [string, string] => ['POST', `/containers/fuzz-target/wait?condition=${pick(['bogus', ''])}`],
    ])();
  assert.equal((await docker(d, ['create', '--name', 'fuzz-target', 'busybox', 'sleep', '300'])).code, 0);
  const JS_INTERNAL = /Maximum call stack|Cannot read propert|is not a function|is not iterable|undefined|Unexpected token|JSON\.parse/;
  for (let i = 0; i < 300; i++) {
    const [method, path, body] =
      i % 4 === 3
        ? [...queries(), undefined]
        : i % 4 === 2
          ? ['POST', '/containers/fuzz-target/update', `{${Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => `"${pick(HOST_FIELDS)}":${values()}`).join(',')}}`]
          : ['POST', '/containers/create', bodies()];
    const r = await raw(d, method, path, body);
    const what = `#${i} ${method} ${path} ${body?.slice(0, 120) ?? ''} → ${r.status} ${r.text.slice(0, 200)}`;
    assert.ok(r.status > 0, what);
    if (r.status >= 500) assert.doesNotMatch(r.body?.message ?? '', JS_INTERNAL, what);
    if (r.status >= 400) assert.equal(typeof r.body?.message, 'string', what);
    if (i % 50 === 49) await assertHealthy(d, what);
  }
  await assertHealthy(d, 'the fuzz run');
});
