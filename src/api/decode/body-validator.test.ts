import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBody } from './body-validator.ts';
import { parseJsonText } from './json-text.ts';
import type { BodyOperation } from './schemas.generated.ts';

const B = '"Image":"busybox","Cmd":["true"]';
const decode = (op: BodyOperation, text: string) => decodeBody(op, parseJsonText(text));

// Each message is what dockerd 20.10 answered for the same body (reference engine, 2026-12-04).
const REFUSED: Array<[BodyOperation, string, string]> = [
  ['ContainerCreate', `{${B},"Labels":{"a":5}}`, 'json: cannot unmarshal number into Go struct field ContainerConfigWrapper.Labels of type string'],
  ['ContainerCreate', `{${B},"StopTimeout":1e300}`, 'json: cannot unmarshal number 1e300 into Go struct field ContainerConfigWrapper.StopTimeout of type int'],
  ['ContainerCreate', `{${B},"StopTimeout":1.5}`, 'json: cannot unmarshal number 1.5 into Go struct field ContainerConfigWrapper.StopTimeout of type int'],
  ['ContainerCreate', `{${B},"Healthcheck":{"Test":5}}`, 'json: cannot unmarshal number into Go struct field HealthConfig.Healthcheck.Test of type []string'],
  ['ContainerCreate', `{${B},"HostConfig":{"Memory":1e308}}`, 'json: cannot unmarshal number 1e308 into Go struct field HostConfig.HostConfig.Memory of type int64'],
  ['ContainerCreate', `{${B},"HostConfig":{"ShmSize":1e20}}`, 'json: cannot unmarshal number 1e20 into Go struct field HostConfig.HostConfig.ShmSize of type int64'],
  ['ContainerCreate', `{${B},"HostConfig":{"Tmpfs":{"/x":5}}}`, 'json: cannot unmarshal number into Go struct field HostConfig.HostConfig.Tmpfs of type string'],
  ['ContainerCreate', `{${B},"HostConfig":{"Devices":[5]}}`, 'json: cannot unmarshal number into Go struct field HostConfig.HostConfig.Devices of type container.DeviceMapping'],
  ['ContainerCreate', `{${B},"HostConfig":{"Ulimits":[{"Name":"nofile","Soft":"x","Hard":5}]}}`, 'json: cannot unmarshal string into Go struct field Ulimit.HostConfig.Ulimits.Soft of type int64'],
  ['ContainerCreate', `{${B},"HostConfig":{"ConsoleSize":[-1,-1]}}`, 'json: cannot unmarshal number -1 into Go struct field HostConfig.HostConfig.ConsoleSize of type uint'],
  ['ContainerCreate', `{${B},"HostConfig":{"ConsoleSize":"x"}}`, 'json: cannot unmarshal string into Go struct field HostConfig.HostConfig.ConsoleSize of type [2]uint'],
  ['ContainerCreate', `{${B},"HostConfig":{"RestartPolicy":{"Name":5}}}`, 'json: cannot unmarshal number into Go struct field RestartPolicy.HostConfig.RestartPolicy.Name of type string'],
  ['ContainerCreate', `{${B},"NetworkingConfig":{"EndpointsConfig":{"x":{"Aliases":[1]}}}}`, 'json: cannot unmarshal number into Go struct field EndpointSettings.NetworkingConfig.EndpointsConfig.Aliases of type string'],
  ['ContainerCreate', '[1]', 'json: cannot unmarshal array into Go value of type runconfig.ContainerConfigWrapper'],
  ['ContainerCreate', `{${B},"HostConfig":5}`, 'json: cannot unmarshal number into Go struct field ContainerConfigWrapper.HostConfig of type container.HostConfig'],
  ['ContainerCreate', `{${B},"HostConfig":{"Memory":1e3}}`, 'json: cannot unmarshal number 1e3 into Go struct field HostConfig.HostConfig.Memory of type int64'],
  ['ContainerCreate', `{${B},"HostConfig":{"Memory":9223372036854775808}}`, 'json: cannot unmarshal number 9223372036854775808 into Go struct field HostConfig.HostConfig.Memory of type int64'],
  ['ContainerCreate', '{"Image":"busybox","Cmd":[5]}', 'json: cannot unmarshal array into Go struct field ContainerConfigWrapper.Cmd of type string'],
  ['ContainerCreate', '{"Image":"busybox","Entrypoint":{}}', 'json: cannot unmarshal object into Go struct field ContainerConfigWrapper.Entrypoint of type string'],
  ['ContainerCreate', `{${B},"ExposedPorts":{"80/tcp":5}}`, 'json: cannot unmarshal number into Go struct field ContainerConfigWrapper.ExposedPorts of type struct {}'],
  ['ContainerCreate', `{${B},"HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":5}]}}}`, 'json: cannot unmarshal number into Go struct field PortBinding.HostConfig.PortBindings.HostPort of type string'],
  ['ContainerCreate', `{${B},"Labels":5,"Tty":"x"}`, 'json: cannot unmarshal number into Go struct field ContainerConfigWrapper.Labels of type map[string]string'],
  ['ContainerCreate', `{${B},"Tty":"x","Labels":5}`, 'json: cannot unmarshal string into Go struct field ContainerConfigWrapper.Tty of type bool'],
  ['ContainerCreate', `{${B},"HostConfig":{"Mounts":[{"Target":"/x","Type":"bind","BindOptions":{"Propagation":5}}]}}`, 'json: cannot unmarshal number into Go struct field BindOptions.HostConfig.Mounts.BindOptions.Propagation of type mount.Propagation'],
  ['ContainerCreate', `{${B},"HostConfig":{"BlkioWeight":70000}}`, 'json: cannot unmarshal number 70000 into Go struct field HostConfig.HostConfig.BlkioWeight of type uint16'],
  ['ContainerCreate', `{${B},"Healthcheck":{"Interval":"1s"}}`, 'json: cannot unmarshal string into Go struct field HealthConfig.Healthcheck.Interval of type time.Duration'],
  ['ContainerCreate', `{${B},"NetworkingConfig":{"EndpointsConfig":5}}`, 'json: cannot unmarshal number into Go struct field NetworkingConfig.NetworkingConfig.EndpointsConfig of type map[string]*network.EndpointSettings'],
  ['ContainerCreate', '{"image":"busybox","labels":{"a":5}}', 'json: cannot unmarshal number into Go struct field ContainerConfigWrapper.Labels of type string'],
  ['ImageCommit', '{"Cmd":5}', 'json: cannot unmarshal number into Go struct field ContainerConfigWrapper.Cmd of type string'],
  ['ContainerExec', '{"Cmd":"x"}', 'json: cannot unmarshal string into Go struct field ExecConfig.Cmd of type []string'],
  ['ContainerExec', '[1]', 'json: cannot unmarshal array into Go value of type types.ExecConfig'],
  ['ExecStart', '{"Detach":5}', 'json: cannot unmarshal number into Go struct field ExecStartCheck.Detach of type bool'],
  ['ContainerUpdate', '{"Memory":1e308}', 'json: cannot unmarshal number 1e308 into Go struct field UpdateConfig.Memory of type int64'],
  ['ContainerUpdate', '{"RestartPolicy":{"Name":5}}', 'json: cannot unmarshal number into Go struct field RestartPolicy.RestartPolicy.Name of type string'],
];

test('bodies dockerd cannot decode are refused with its decoder words', () => {
  // dockerd 20.10's decoder error is untyped (500) for create, update and commit, a 400 elsewhere.
  const untyped = new Set(['ContainerCreate', 'ContainerUpdate', 'ImageCommit']);
  for (const [op, body, message] of REFUSED) {
    assert.throws(() => decode(op, body), { name: untyped.has(op) ? 'SystemError' : 'InvalidParameterError', message }, body);
  }
});

test('bodies dockerd accepts pass, rebuilt from the fields the contract knows', () => {
  assert.deepEqual(decode('ContainerCreate', '{"image":"busybox","CMD":"true","Unknown":{"deep":[[[]]]},"Volumes":{"/a":{"x":1}},"HostConfig":{"Memory":-0,"Binds":null}}'), {
    Image: 'busybox',
    Cmd: 'true',
    Volumes: { '/a': {} },
    HostConfig: { Memory: -0, Binds: null },
  });
  assert.deepEqual(decode('ContainerCreate', 'null'), null);
  // A valid int64 beyond 2^53 is kept as a double that prints back inside int64.
  const big = decode('ContainerCreate', '{"StopTimeout":9223372036854775807}') as { StopTimeout: number };
  assert.ok(BigInt(JSON.stringify(big.StopTimeout)) <= 2n ** 63n - 1n);
  assert.deepEqual(decode('ContainerExec', '{"Cmd":["true"],"ConsoleSize":[24,80],"Env":[null]}'), { Cmd: ['true'], ConsoleSize: [24, 80], Env: [null] });
});

test('JSON text is read as Go reads it: first value only, Go syntax words, bounded depth', () => {
  assert.deepEqual(parseJsonText('{"a":1} trailing'), { a: 1 });
  const cases: Array<[string, string]> = [
    ['', 'EOF'],
    ['{"Image":', 'unexpected EOF'],
    ['{x}', "invalid character 'x' looking for beginning of object key string"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['[1 2]', "invalid character '2' after array element"],
    ['trux', "invalid character 'x' in literal true (expecting 'e')"],
    ['['.repeat(10_001), "invalid character '[' exceeded max depth"],
  ];
  for (const [text, message] of cases) assert.throws(() => parseJsonText(text), { message }, text);
  assert.doesNotThrow(() => parseJsonText('['.repeat(10_000) + ']'.repeat(10_000)));
  const proto = parseJsonText('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
