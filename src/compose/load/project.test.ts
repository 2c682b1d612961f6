import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject, type LoadOptions } from './project.ts';
import { memoryIO } from './memory-io.ts';

function load(files: Record<string, string>, opts: Partial<LoadOptions> = {}, stdin?: string) {
  return loadProject({ files: [], envFiles: [], profiles: [], env: { HOME: '/home/u' }, cwd: '/p', io: memoryIO(files, stdin), ...opts });
}

test('file discovery prefers compose.yaml, warns on several, searches parents and loads the override', () => {
  const r = load({ '/p/compose.yaml': 'services: {a: {image: x}}', '/p/docker-compose.yml': 'services: {b: {image: y}}', '/p/compose.override.yml': 'services: {a: {tty: true}}' });
  assert.deepEqual(r.project.compose_files, ['/p/compose.yaml', '/p/compose.override.yml']);
  assert.deepEqual(r.warnings, ['Found multiple config files with supported names: /p/compose.yaml, /p/docker-compose.yml', 'Using /p/compose.yaml']);
  assert.equal(r.project.services['a']?.tty, true);
  const up = load({ '/x/docker-compose.yaml': 'services: {a: {image: x}}' }, { cwd: '/x/p/q' });
  assert.deepEqual(up.project.compose_files, ['/x/docker-compose.yaml']);
  assert.equal(up.project.working_dir, '/x');
  assert.throws(() => load({}), { message: 'no configuration file provided: not found' });
});

test('-f files merge in order; - reads stdin; COMPOSE_FILE is used without -f', () => {
  const files = { '/p/a.yml': 'services: {web: {image: a, ports: ["80:80"], volumes: ["va:/data"]}}\nvolumes: {va: {}, vb: {}}', '/p/b.yml': 'services: {web: {image: b, ports: ["80:80", "443:443"], volumes: ["vb:/data"]}}' };
  const r = load(files, { files: ['a.yml', 'b.yml'] });
  const web = r.project.services['web']!;
  assert.equal(web.image, 'b');
  assert.deepEqual(web.ports?.map((p) => `${p.published}:${p.target}`), ['80:80', '443:443']);
  assert.deepEqual(web.volumes?.map((v) => `${v.source}:${v.target}`), ['vb:/data']);
  assert.equal(load(files, { files: ['-'] }, 'services: {s: {image: stdin}}').project.services['s']?.image, 'stdin');
  assert.equal(load(files, { env: { COMPOSE_FILE: 'a.yml:b.yml' } }).project.services['web']?.image, 'b');
});

test('interpolation reads the environment first, then .env or --env-file', () => {
  const files = {
    '/p/compose.yaml': 'services: {web: {image: "img:${TAG}", environment: {A: "${A}", B: "$${LIT}", C: "${C:-dflt}"}}}',
    '/p/.env': 'TAG=fromdotenv\nA="multi\nline"\n',
    '/p/other.env': 'TAG=other\nexport C=${TAG}-c',
  };
  const r = load(files);
  assert.equal(r.project.services['web']?.image, 'img:fromdotenv');
  assert.deepEqual(r.project.services['web']?.environment, { A: 'multi\nline', B: '${LIT}', C: 'dflt' });
  assert.equal(load(files, { env: { TAG: 'env' } }).project.services['web']?.image, 'img:env');
  const e = load(files, { envFiles: ['other.env'] });
  assert.equal(e.project.services['web']?.image, 'img:other');
  assert.equal(e.project.services['web']?.environment?.['C'], 'other-c');
  assert.throws(() => load(files, { envFiles: ['missing.env'] }), { message: "couldn't find env file: /p/missing.env" });
  assert.throws(() => load({ '/p/compose.yaml': 'services: {web: {image: "${IMG:?the image}"}}' }), { message: 'error while interpolating services.web.image in /p/compose.yaml: required variable IMG is missing a value: the image' });
});

test('version is accepted and warned about; x- extensions are kept', () => {
  const r = load({ '/p/compose.yaml': 'version: "3"\nx-top: {a: 1}\nservices:\n  web:\n    image: x\n    x-mine: [1]\n' });
  assert.deepEqual(r.warnings, ['/p/compose.yaml: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion']);
  assert.deepEqual(r.project.extensions, { 'x-top': { a: 1 } });
  assert.deepEqual(r.project.services['web']?.['x-mine'], [1]);
});

test('project name: -p, COMPOSE_PROJECT_NAME, name:, then the directory', () => {
  const files = { '/p/My Dir/compose.yaml': 'name: fromfile\nservices: {a: {image: "${COMPOSE_PROJECT_NAME}"}}', '/p/My Dir/unnamed.yaml': 'services: {a: {image: x}}' };
  const cases: [Partial<LoadOptions>, string][] = [
    [{ cwd: '/p/My Dir', projectName: 'flag' }, 'flag'],
    [{ cwd: '/p/My Dir', env: { COMPOSE_PROJECT_NAME: 'envname' } }, 'envname'],
    [{ cwd: '/p/My Dir' }, 'fromfile'],
    [{ cwd: '/p/My Dir', files: ['unnamed.yaml'] }, 'mydir'],
  ];
  for (const [opts, name] of cases) assert.equal(load(files, opts).project.name, name, JSON.stringify(opts));
  assert.equal(load(files, { cwd: '/p/My Dir' }).project.services['a']?.image, 'fromfile');
  assert.throws(() => load(files, { cwd: '/p/My Dir', projectName: 'Bad!' }), {
    message: 'invalid project name "Bad!": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number',
  });
});

test('profiles: inactive services are disabled; --profile, COMPOSE_PROFILES and a named service enable them', () => {
  const files = { '/p/compose.yaml': 'services:\n  web: {image: w}\n  debug: {image: d, profiles: [dbg]}\n  all: {image: a, profiles: [x, y]}\n' };
  const names = (opts: Partial<LoadOptions>) => Object.keys(load(files, opts).project.services).sort();
  assert.deepEqual(names({}), ['web']);
  assert.deepEqual(names({ profiles: ['dbg'] }), ['debug', 'web']);
  assert.deepEqual(names({ env: { COMPOSE_PROFILES: 'y, dbg' } }), ['all', 'debug', 'web']);
  assert.deepEqual(names({ profiles: ['*'] }), ['all', 'debug', 'web']);
  assert.deepEqual(names({ services: ['debug'] }), ['debug']);
});

test('extends: same file, another file (paths from there), recursive; cycles refused', () => {
  const files = {
    '/p/compose.yaml': 'services:\n  base: {image: b, environment: {A: "1"}}\n  mid: {extends: base, environment: {B: "2"}}\n  top: {extends: {service: mid}, command: run}\n  ext: {extends: {file: lib/common.yml, service: common}}\n',
    '/p/lib/common.yml': 'services:\n  common: {image: c, build: ./ctx, volumes: ["./data:/data"]}\n',
  };
  const s = load(files).project.services;
  assert.deepEqual(s['top']?.environment, { A: '1', B: '2' });
  assert.equal(s['top']?.image, 'b');
  assert.deepEqual(s['top']?.command, ['run']);
  assert.equal(s['ext']?.build?.context, '/p/lib/ctx');
  assert.equal(s['ext']?.volumes?.[0]?.source, '/p/lib/data');
  assert.throws(() => load({ '/p/compose.yaml': 'services:\n  a: {extends: b, image: x}\n  b: {extends: a}\n' }), /^InvalidParameterError: Circular reference:\n {2}a in \/p\/compose.yaml\n {2}extends b in \/p\/compose.yaml\n {2}extends a in \/p\/compose.yaml/);
  assert.throws(() => load({ '/p/compose.yaml': 'services: {a: {extends: nope}}' }), { message: 'cannot extend service "a" in /p/compose.yaml: service "nope" not found' });
});

test('include: another project with its own directory and .env, overridable locally', () => {
  const files = {
    '/p/compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web: {image: w, depends_on: [db]}\n',
    '/p/sub/compose.yaml': 'services:\n  db: {image: "pg:${PGV}", volumes: ["./init:/init"]}\n',
    '/p/sub/.env': 'PGV=16',
  };
  const s = load(files).project.services;
  assert.equal(s['db']?.image, 'pg:16');
  assert.equal(s['db']?.volumes?.[0]?.source, '/p/sub/init');
  assert.throws(() => load({ '/p/compose.yaml': 'include: [a.yaml]\nservices: {}', '/p/a.yaml': 'include: [compose.yaml]\nservices: {}' }), /include cycle detected/);
});

test('validation and consistency errors name the file, service and key', () => {
  const cases: [string, string | RegExp][] = [
    ['services: {web: {image: x, foo: 1}}', "validating /p/compose.yaml: services.web additional properties 'foo' not allowed"],
    ['services: {web: {image: x, ports: [true]}}', 'validating /p/compose.yaml: services.web.ports.0 must be a number'],
    ['services: {web: {image: x, ports: ["80:abc"]}}', '/p/compose.yaml: services.web.ports.0: invalid containerPort: abc'],
    ['services: {web: {build: {context: .}, networks: [nope]}}', 'service "web" refers to undefined network nope: invalid compose project'],
    ['services: {web: {image: x, volumes: ["data:/d"]}}', 'service "web" refers to undefined volume data: invalid compose project'],
    ['services: {web: {image: x, secrets: [s]}}', 'service "web" refers to undefined secret s: invalid compose project'],
    ['services: {web: {image: x, configs: [c]}}', 'service "web" refers to undefined config c: invalid compose project'],
    ['services: {web: {image: x, depends_on: [db]}}', 'service "web" depends on undefined service "db": invalid compose project'],
    ['services: {web: {environment: {A: b}}}', 'service "web" has neither an image nor a build context specified: invalid compose project'],
    ['services: {a: {image: x, depends_on: [b]}, b: {image: x, depends_on: [c]}, c: {image: x, depends_on: [a]}}', 'dependency cycle detected: a -> b -> c -> a'],
    ['', 'empty compose file'],
    ['- a', 'top-level object must be a mapping'],
  ];
  for (const [yaml, msg] of cases) assert.throws(() => load({ '/p/compose.yaml': yaml }), typeof msg === 'string' ? { message: msg } : msg, yaml);
});

test('normalisation: long syntaxes, defaults, absolute paths, environment and env_file', () => {
  const files = {
    '/p/compose.yaml': `services:
  web:
    build: {context: ., args: [FROM_ENV, LIT=1, ABSENT]}
    env_file: [web.env, {path: missing.env, required: false}]
    environment: [FROM_ENV, OVERRIDE=env, NOT_SET]
    labels: [a=1, b]
    extra_hosts: ["db:10.0.0.2", "v6=::1"]
    ulimits: {nofile: {soft: 10, hard: 20}, nproc: 5}
    healthcheck: {test: ["CMD", "true"], interval: 30s}
    stop_grace_period: 1m
    volumes: ["~/x:/x", {type: tmpfs, target: /t, tmpfs: {size: 1m}}]
    networks: {back: {aliases: [w], ipv4_address: 10.1.0.5}}
    links: [db]
    entrypoint: ["/bin/sh", "-c"]
  db:
    image: x
    network_mode: none
networks: {back: {external: true}}
`,
    '/p/web.env': 'FROM_FILE=f\nOVERRIDE=file\n',
  };
  const r = load(files, { env: { HOME: '/home/u', FROM_ENV: 'e' } });
  const web = r.project.services['web']!;
  assert.deepEqual(web.build, { context: '/p', dockerfile: 'Dockerfile', args: { FROM_ENV: 'e', LIT: '1' } });
  assert.deepEqual(web.environment, { FROM_FILE: 'f', OVERRIDE: 'env', FROM_ENV: 'e', NOT_SET: null });
  assert.deepEqual(web.labels, { a: '1', b: '' });
  assert.deepEqual(web.extra_hosts, ['db=10.0.0.2', 'v6=::1']);
  assert.deepEqual(web.ulimits, { nofile: { soft: 10, hard: 20 }, nproc: { single: 5 } });
  assert.deepEqual(web.healthcheck, { test: ['CMD', 'true'], interval: 30e9 });
  assert.equal(web.stop_grace_period, 60e9);
  assert.deepEqual(web.volumes, [
    { type: 'bind', source: '/home/u/x', target: '/x', bind: { create_host_path: true } },
    { type: 'tmpfs', target: '/t', tmpfs: { size: 1048576 } },
  ]);
  assert.deepEqual(web.networks, { back: { aliases: ['w'], ipv4_address: '10.1.0.5' } });
  assert.deepEqual(web.depends_on, { db: { condition: 'service_started', restart: true, required: true } });
  assert.deepEqual(r.project.services['db']?.networks, undefined);
  assert.deepEqual(r.project.networks, { back: { name: 'back', external: true } });
});

test('env files: several --env-file in order, COMPOSE_ENV_FILES, COMPOSE_DISABLE_ENV_FILE', () => {
  const files = { '/p/compose.yaml': 'services: {a: {image: "${A}-${B}"}}', '/p/.env': 'A=dot\nB=dot', '/p/1.env': 'A=one\nB=one', '/p/2.env': 'B=${A}two' };
  const image = (opts: Partial<LoadOptions>) => load(files, opts).project.services['a']?.image;
  assert.equal(image({}), 'dot-dot');
  assert.equal(image({ envFiles: ['1.env', '2.env'] }), 'one-onetwo');
  assert.equal(image({ env: { COMPOSE_ENV_FILES: '2.env,1.env' } }), 'one-one');
  assert.equal(image({ env: { COMPOSE_DISABLE_ENV_FILE: 'true', A: 'x', B: 'y' } }), 'x-y');
});

test('consistency: replicas with container_name, duplicate mount targets, secrets without a source', () => {
  const cases: [string, string][] = [
    ['services: {a: {image: x, container_name: cc, deploy: {replicas: 2}}}', "services.deploy.replicas: can't set container_name and a as container name must be unique: invalid compose project"],
    ['services: {a: {image: x, scale: 2, deploy: {replicas: 3}}}', "services.a: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project"],
    ['services: {a: {image: x, tmpfs: [/t], volumes: ["/t"]}}', 'services.a.volumes[0]: target /t already mounted as services.a.tmpfs[0]'],
    ['services: {a: {image: x, secrets: [s]}}\nsecrets: {s: {}}', 'secret "s" must declare either `file` or `environment`: invalid compose project'],
    ['services: {a: {image: x, network_mode: host, networks: [n]}}\nnetworks: {n: {}}', 'service a declares mutually exclusive `network_mode` and `networks`: invalid compose project'],
    ['services: {a: {image: x, healthcheck: {test: [BAD]}}}', 'healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"'],
  ];
  for (const [yaml, msg] of cases) assert.throws(() => load({ '/p/compose.yaml': yaml }), { message: msg }, yaml);
});

test('named services keep their dependencies; unused resources are dropped unless --all-resources', () => {
  const files = { '/p/compose.yaml': 'services:\n  web: {image: w, depends_on: [api]}\n  api: {image: a, volumes: [dv:/d]}\n  other: {image: o}\nvolumes: {dv: {}, unused: {}}\n' };
  assert.deepEqual(Object.keys(load(files, { services: ['web'] }).project.services).sort(), ['api', 'web']);
  assert.deepEqual(Object.keys(load(files).project.volumes), ['dv']);
  assert.deepEqual(Object.keys(load(files, { allResources: true }).project.volumes).sort(), ['dv', 'unused']);
  assert.throws(() => load(files, { services: ['nope'] }), { message: 'no such service: nope' });
});

test('depends_on: the short list and the long form, and what links, namespaces and volumes_from imply', () => {
  const r = load({
    '/p/compose.yaml': `services:
  a: {image: x, depends_on: [b]}
  b: {image: x, depends_on: {c: {condition: service_healthy, restart: true}, d: {condition: service_completed_successfully, required: false}}}
  c: {image: x, network_mode: "service:d", volumes_from: [e]}
  d: {image: x, ipc: "service:e"}
  e: {image: x}
`,
  });
  const deps = (n: string) => r.project.services[n]?.depends_on;
  assert.deepEqual(deps('a'), { b: { condition: 'service_started', restart: false, required: true } });
  assert.deepEqual(deps('b'), { c: { condition: 'service_healthy', restart: true, required: true }, d: { condition: 'service_completed_successfully', restart: false, required: false } });
  assert.deepEqual(deps('c'), { d: { condition: 'service_started', restart: true, required: true }, e: { condition: 'service_started', restart: false, required: true } });
  assert.deepEqual(deps('d'), { e: { condition: 'service_started', restart: true, required: true } });
});
