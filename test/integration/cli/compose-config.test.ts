/**
 * `berth compose config` as a program on a project in a temp directory: no
 * daemon, the built CLI, its stdout, stderr and exit code. The expected texts
 * are Docker Compose v2's (docker/compose pkg/e2e config tests and its
 * canonical rendering).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BERTH } from '../../helpers/daemon.ts';

function project(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-compose-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = path.join(dir, 'webapp');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

function berth(cwd: string, args: string[], env: Record<string, string> = {}, input?: string) {
  const base: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: '/home/tester' };
  return spawnSync(BERTH, ['compose', ...args], { cwd, encoding: 'utf8', env: { ...base, ...env }, input });
}

const WEB = `services:
  web:
    build: .
    container_name: webapp-web
    restart: unless-stopped
    ports: ["\${PORT:-8080}:80"]
    volumes:
      - ./site:/usr/share/nginx/html:ro
      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro
    depends_on: [backend]
  backend:
    image: busybox
    command: httpd -f -p 8000
    healthcheck:
      test: wget -q -O- http://localhost:8000
      interval: 2s
    volumes: [shared:/data]
volumes:
  shared: {}
`;

test('config renders the canonical model as Docker Compose v2 does', (t) => {
  const dir = project(t, { 'compose.yaml': WEB, '.env': 'PORT=8081\n' });
  const r = berth(dir, ['config']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.equal(
    r.stdout,
    `name: webapp
services:
  backend:
    command:
      - httpd
      - -f
      - -p
      - "8000"
    healthcheck:
      test:
        - CMD-SHELL
        - wget -q -O- http://localhost:8000
      interval: 2s
    image: busybox
    networks:
      default: null
    volumes:
      - type: volume
        source: shared
        target: /data
        volume: {}
  web:
    build:
      context: ${dir}
      dockerfile: Dockerfile
    container_name: webapp-web
    depends_on:
      backend:
        condition: service_started
        required: true
    networks:
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8081"
        protocol: tcp
    restart: unless-stopped
    volumes:
      - type: bind
        source: ${dir}/site
        target: /usr/share/nginx/html
        read_only: true
        bind:
          create_host_path: true
      - type: bind
        source: ${dir}/nginx.conf
        target: /etc/nginx/conf.d/default.conf
        read_only: true
        bind:
          create_host_path: true
networks:
  default:
    name: webapp_default
volumes:
  shared:
    name: webapp_shared
`,
  );
});

test('config lists, JSON, -q, -o and --no-interpolate', (t) => {
  const dir = project(t, { 'compose.yaml': WEB + '  unused: {}\n' });
  assert.equal(berth(dir, ['config', '--services']).stdout, 'backend\nweb\n');
  assert.equal(berth(dir, ['config', '--volumes']).stdout, 'shared\n');
  assert.equal(berth(dir, ['config', '--networks']).stdout, 'default\n');
  assert.equal(berth(dir, ['config', '--images']).stdout, 'busybox\nwebapp-web\n');
  const json = berth(dir, ['config', '--format', 'json']);
  assert.equal(json.status, 0);
  const parsed = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(parsed), ['name', 'networks', 'services', 'volumes']);
  assert.equal(parsed.services.web.ports[0].published, '8080');
  const quiet = berth(dir, ['config', '-q']);
  assert.deepEqual([quiet.status, quiet.stdout, quiet.stderr], [0, '', '']);
  const out = path.join(dir, 'out.yaml');
  assert.equal(berth(dir, ['config', '-o', out]).status, 0);
  assert.match(readFileSync(out, 'utf8'), /^name: webapp\n/);
  assert.match(berth(dir, ['config', '--no-interpolate']).stdout, /\n {6}- \$\{PORT:-8080\}:80\n/);
  assert.equal(berth(dir, ['config', 'backend']).stdout.includes('  web:'), false);
});

test('global flags: -f (and -), -p, --profile, --env-file, --project-directory', (t) => {
  const dir = project(t, {
    'base.yml': 'services:\n  app: {image: "app:${TAG}"}\n  dbg: {image: dbg, profiles: [debug]}\n',
    'over.yml': 'services:\n  app: {environment: [X=1]}\n',
    'vars.env': 'TAG=9\n',
  });
  const r = berth(dir, ['-f', 'base.yml', '-f', 'over.yml', '-p', 'proj', '--env-file', 'vars.env', '--profile', 'debug', 'config']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^name: proj\nservices:\n {2}app:\n {4}environment:\n {6}X: "1"\n {4}image: app:9\n/);
  assert.match(r.stdout, /\n {2}dbg:\n/);
  const stdin = berth(path.dirname(dir), ['-f', '-', '--project-directory', 'webapp', 'config', '--services'], {}, 'services: {s: {image: x}}');
  assert.equal(stdin.stdout, 's\n');
  assert.equal(berth(dir, ['-f', 'base.yml', 'config', '--profiles']).stdout, 'debug\n');
});

test('bad input: errors name the file, service and key; exit 1', (t) => {
  const cases: [string, string][] = [
    ['services:\n  web: {image: x, foo: 1}\n', "validating COMPOSE: services.web additional properties 'foo' not allowed\n"],
    ['services:\n  web: {image: "${IMG:?set IMG}"}\n', 'error while interpolating services.web.image in COMPOSE: required variable IMG is missing a value: set IMG\n'],
    ['services:\n  web: {image: x, depends_on: [db]}\n  db: {image: x, depends_on: [web]}\n', 'dependency cycle detected: db -> web -> db\n'],
    ['services:\n  web: {image: x, ports: ["80:x"]}\n', 'COMPOSE: services.web.ports.0: invalid containerPort: x\n'],
    ['services:\n  web: {environment: [A=1]}\n', 'service "web" has neither an image nor a build context specified: invalid compose project\n'],
  ];
  for (const [yaml, msg] of cases) {
    const dir = project(t, { 'compose.yaml': yaml });
    const r = berth(dir, ['config']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [1, '', msg.replace('COMPOSE', path.join(dir, 'compose.yaml'))], yaml);
  }
  const bad = project(t, { 'compose.yaml': 'services: {a: {image: x}}\n' });
  assert.equal(berth(bad, ['-p', 'Bad Name', 'config']).stderr, 'invalid project name "Bad Name": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number\n');
  const empty = mkdtempSync(path.join(tmpdir(), 'berth-compose-none-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  assert.equal(berth(empty, ['config']).stderr, 'no configuration file provided: not found\n');
});

test('the obsolete version attribute is a warning on stderr', (t) => {
  const dir = project(t, { 'docker-compose.yml': 'version: "3.9"\nservices: {a: {image: x}}\n' });
  const r = berth(dir, ['config', '--services']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'a\n');
  assert.match(r.stderr, /level=warning msg=".*docker-compose.yml: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion"\n$/);
});
