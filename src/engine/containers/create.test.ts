import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandOf, mergeImageConfig, normalizeHostConfig, normalizeName, validateLogOptions, logSizeLimit } from './create.ts';

test('mergeImageConfig follows dockerd: user values win, image fills the gaps', () => {
  const image = { Env: ['PATH=/bin', 'A=image'], Cmd: ['sh'], Entrypoint: null, WorkingDir: '/w', User: 'nobody', Labels: { a: '1' } };
  const cases: Array<[string, Parameters<typeof mergeImageConfig>[0], Partial<ReturnType<typeof mergeImageConfig>>]> = [
    ['no command: image Cmd', { Image: 'x' }, { Cmd: ['sh'], Entrypoint: null, WorkingDir: '/w', User: 'nobody' }],
    ['user Cmd replaces image Cmd', { Image: 'x', Cmd: ['echo', 'hi'] }, { Cmd: ['echo', 'hi'] }],
    ['user Entrypoint drops image Cmd', { Image: 'x', Entrypoint: ['/bin/true'] }, { Entrypoint: ['/bin/true'], Cmd: undefined }],
    ['env: user first, image keys not overridden', { Image: 'x', Env: ['A=user', 'B=2'] }, { Env: ['A=user', 'B=2', 'PATH=/bin'] }],
    ['labels merge', { Image: 'x', Labels: { b: '2' } }, { Labels: { a: '1', b: '2' } }],
    ['an empty Volumes map is none', { Image: 'x', Volumes: {} }, { Volumes: null }],
  ];
  for (const [name, user, want] of cases) {
    const got = mergeImageConfig(user, image);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof typeof got], v, `${name}: ${k}`);
  }
});

test('commandOf splits Path and Args; no command is Docker\'s 400', () => {
  assert.deepEqual(commandOf({ Entrypoint: ['/init'], Cmd: ['a', 'b'] }), { path: '/init', args: ['a', 'b'] });
  assert.throws(() => commandOf({}), /No command specified/);
});

test('names are validated with Docker\'s message', () => {
  assert.equal(normalizeName('web'), '/web');
  assert.equal(normalizeName('/web.1_a-b'), '/web.1_a-b');
  for (const bad of ['a', '-x', 'has space', 'x/y', '']) assert.throws(() => normalizeName(bad), /Invalid container name/);
});

test('host config normalisation fills dockerd\'s defaults and stores unset values as null', () => {
  const defaults = { LogConfig: { Type: 'json-file', Config: {} }, CgroupnsMode: 'host' };
  assert.deepEqual(normalizeHostConfig({ MemorySwappiness: -1, PidsLimit: 0 }), { ...defaults, MemorySwappiness: null, PidsLimit: null });
  assert.deepEqual(normalizeHostConfig({ PidsLimit: 5 }), { ...defaults, PidsLimit: 5 });
  assert.deepEqual(normalizeHostConfig({ Memory: 64 }), { ...defaults, Memory: 64, MemorySwap: 128 });
  assert.deepEqual(normalizeHostConfig({ Memory: 64, MemorySwap: -1 }), { ...defaults, Memory: 64, MemorySwap: -1 });
  assert.deepEqual(normalizeHostConfig({}, { cgroupnsMode: 'private' }).CgroupnsMode, 'private');
  assert.deepEqual(normalizeHostConfig({ CgroupnsMode: 'private', LogConfig: { Type: '', Config: { 'max-size': '1m' } } }), {
    CgroupnsMode: 'private',
    LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } },
  });
  assert.equal(normalizeHostConfig({ LogConfig: { Type: 'none' } }).LogConfig?.Type, 'none');
  assert.throws(() => normalizeHostConfig({ LogConfig: { Type: 'foo' } }), /error looking up logging plugin foo: plugin "foo" not found/);
});

test('log options are checked per driver, in dockerd words', () => {
  validateLogOptions('json-file', { 'max-size': '10m', 'max-file': '3', tag: 'x', mode: 'non-blocking', 'max-buffer-size': '4m' });
  validateLogOptions('none', { anything: 'goes' });
  assert.throws(() => validateLogOptions('json-file', { bogus: '1' }), { message: "unknown log opt 'bogus' for json-file log driver" });
  assert.throws(() => validateLogOptions('local', { tag: 'x' }), { message: "unknown log opt 'tag' for log driver local" });
  assert.throws(() => validateLogOptions('json-file', { mode: 'x' }), { message: 'logger: logging mode not supported: x' });
  assert.throws(() => validateLogOptions('json-file', { 'max-buffer-size': '1m' }), { message: "logger: max-buffer-size option is only supported with 'mode=non-blocking'" });
});

test('the log size limit comes from max-size; bad logger options fail as dockerd\'s logger does', () => {
  assert.equal(logSizeLimit({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } }), 10 * 1024 * 1024);
  assert.equal(logSizeLimit({ Type: 'json-file', Config: {} }), undefined);
  assert.equal(logSizeLimit({ Type: 'none', Config: { 'max-size': 'abc' } }), undefined);
  assert.throws(() => logSizeLimit({ Type: 'json-file', Config: { 'max-size': 'abc' } }), { message: "failed to initialize logging driver: invalid size: 'abc'" });
  assert.throws(() => logSizeLimit({ Type: 'local', Config: { 'max-file': '0' } }), { message: 'failed to initialize logging driver: max-file cannot be less than 1' });
  assert.throws(() => logSizeLimit({ Type: 'json-file', Config: { 'max-file': 'x' } }), { message: 'failed to initialize logging driver: strconv.Atoi: parsing "x": invalid syntax' });
  assert.throws(() => logSizeLimit({ Type: 'json-file', Config: { compress: 'maybe' } }), { message: 'failed to initialize logging driver: strconv.ParseBool: parsing "maybe": invalid syntax' });
});
