import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Project, ServiceConfig } from './load/model.ts';
import { formatServiceList, matchRule, serviceWatchRules, type RuleIO } from './watch-rules.ts';

const project = (services: Record<string, Partial<ServiceConfig>>): Project =>
  ({
    name: 'p',
    working_dir: '/proj',
    compose_files: [],
    environment: {},
    services: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, { name, ...s }])),
    disabled_services: {},
    networks: {},
    volumes: {},
    secrets: {},
    configs: {},
    extensions: {},
  }) as Project;

const io = (files: Record<string, string> = {}): RuleIO => ({ readText: (f) => files[f], realpath: () => undefined });

test('a rule maps host paths under its path to its target, minus the ignored ones', () => {
  const p = project({
    web: {
      build: { context: '/proj' },
      develop: { watch: [{ action: 'sync', path: './src', target: '/app', ignore: ['node_modules/', '*.tmp'] }] },
    } as Partial<ServiceConfig>,
  });
  const [rule] = serviceWatchRules(p, p.services['web']!, io({ '/proj/.dockerignore': '# comment\n**/*.log\nsecret.txt\n' }))!;
  const table: [string, string | undefined][] = [
    ['/proj/src', '/app'],
    ['/proj/src/a.js', '/app/a.js'],
    ['/proj/src/lib/b.js', '/app/lib/b.js'],
    ['/proj/srcs/a.js', undefined], // a sibling, not a child
    ['/proj/src/x.tmp', undefined], // the rule's ignore
    ['/proj/src/node_modules/m/index.js', undefined], // an ignored directory's content
    ['/proj/src/deep/a.log', undefined], // .dockerignore
    // Compose anchors its `.git/` ignore at `/`: only a /.git is left out, a project's own .git is not.
    ['/proj/src/.git/HEAD', '/app/.git/HEAD'],
    ['/proj/src/.a.js.swp', undefined], // editors' files
    ['/proj/src/a.js~', undefined],
    ['/proj/src/.idea/workspace.xml', undefined],
  ];
  for (const [host, container] of table) assert.equal(matchRule(rule!, host)?.containerPath, container, host);
});

test('include keeps only what it names; a Dockerfile-specific ignore file wins over .dockerignore', () => {
  const p = project({
    web: {
      build: { context: '/proj', dockerfile: 'Dev.Dockerfile' },
      develop: { watch: [{ action: 'rebuild', path: '/proj', include: ['*.json'] }] },
    } as Partial<ServiceConfig>,
  });
  const [rule] = serviceWatchRules(p, p.services['web']!, io({ '/proj/Dev.Dockerfile.dockerignore': 'package-lock.json\n', '/proj/.dockerignore': 'package.json\n' }))!;
  assert.equal(matchRule(rule!, '/proj/package.json')?.containerPath, '');
  assert.equal(matchRule(rule!, '/proj/package-lock.json'), undefined);
  assert.equal(matchRule(rule!, '/proj/index.js'), undefined);
});

test("rules Compose cannot apply are refused with its words; a service without develop has none", () => {
  const bad = (watch: unknown[], build = false) => {
    const p = project({ s: { ...(build ? { build: { context: '/proj' } } : {}), develop: { watch } } as Partial<ServiceConfig> });
    return () => serviceWatchRules(p, p.services['s']!, io());
  };
  assert.throws(bad([{ action: 'rebuild', path: '.' }]), { message: `can't watch service "s" with action rebuild without a build context` });
  assert.throws(bad([{ action: 'sync+exec', path: '.', target: '/x' }]), { message: `can't watch with action "sync+exec" on service s without a command` });
  const exec = serviceWatchRules(project({ s: { develop: { watch: [{ action: 'sync+exec', path: '.', target: '/x', exec: { command: 'echo "a b"', environment: { A: '1' } } }] } } as Partial<ServiceConfig> }), { name: 's', develop: { watch: [{ action: 'sync+exec', path: '.', target: '/x', exec: { command: 'echo "a b"', environment: { A: '1' } } }] } } as ServiceConfig, io())!;
  assert.deepEqual(exec[0]!.exec, { command: ['echo', 'a b'], user: undefined, privileged: false, working_dir: undefined, environment: ['A=1'] });
  assert.equal(serviceWatchRules(project({ s: {} }), { name: 's' }, io()), undefined);
});

test('service lists print as Go prints a quoted slice', () => {
  assert.equal(formatServiceList(['a']), '["a"]');
  assert.equal(formatServiceList(['a', 'b']), '["a" "b"]');
});
