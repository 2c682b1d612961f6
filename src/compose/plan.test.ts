import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from './load/project.ts';
import { memoryIO } from './load/memory-io.ts';
import { configHash, planContainer, planNetwork, planVolume, serviceScale } from './plan.ts';

function load(yaml: string, extra: Record<string, string> = {}) {
  return loadProject({ files: [], envFiles: [], profiles: [], env: {}, cwd: '/p', io: memoryIO({ '/p/compose.yaml': yaml, '/p/s.txt': 'x', ...extra }) }).project;
}

const FULL = `
name: demo
services:
  web:
    image: busybox
    container_name: site
    command: httpd -f -p 80 -h /www
    entrypoint: ["/bin/sh", "-c"]
    environment: {B: "2", A: "1"}
    ports: ["8080:80", "127.0.0.1::53/udp"]
    volumes: ["./www:/www:ro", "data:/data", "/anon", {type: tmpfs, target: /t, tmpfs: {size: 1m}}]
    networks: {back: {aliases: [site-alias]}, default: {}}
    restart: unless-stopped
    healthcheck: {test: "wget -q -O- localhost", interval: 2s, timeout: 1s, retries: 3, start_period: 5s}
    deploy: {resources: {limits: {cpus: "0.5", memory: 64M, pids: 50}, reservations: {memory: 32M}}}
    init: true
    stop_grace_period: 3s
    stop_signal: SIGUSR1
    user: "1000:1000"
    working_dir: /www
    tmpfs: ["/run:size=1m"]
    extra_hosts: ["db:10.0.0.1"]
    dns: [1.1.1.1]
    ulimits: {nofile: {soft: 100, hard: 200}, nproc: 64}
    sysctls: {net.core.somaxconn: 1024}
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    pid: host
    ipc: shareable
    labels: {a.b: c}
    logging: {driver: json-file, options: {max-size: 1m}}
    secrets: [s]
    configs: [c]
    depends_on: {db: {condition: service_healthy}}
  db:
    image: busybox
    deploy: {replicas: 2}
networks: {back: {}}
volumes: {data: {}}
secrets: {s: {file: ./s.txt}}
configs: {c: {file: ./s.txt}}
`;

test('a service becomes the create body Compose sends', () => {
  const p = load(FULL);
  const plan = planContainer({ project: p, service: p.services['web']!, number: 1, imageId: 'sha256:abc' });
  assert.equal(plan.name, 'site');
  const b = plan.body as any;
  assert.deepEqual(b.Cmd, ['httpd', '-f', '-p', '80', '-h', '/www']);
  assert.deepEqual(b.Entrypoint, ['/bin/sh', '-c']);
  assert.deepEqual(b.Env, ['A=1', 'B=2']);
  assert.deepEqual(b.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  assert.deepEqual(b.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
  assert.deepEqual(b.HostConfig.Binds, ['/p/www:/www:ro', 'demo_data:/data']);
  assert.deepEqual(b.HostConfig.Mounts, [
    { Type: 'volume', Target: '/anon', ReadOnly: false },
    { Type: 'tmpfs', Target: '/t', ReadOnly: false, TmpfsOptions: { SizeBytes: 1048576 } },
    { Type: 'bind', Source: '/p/s.txt', Target: '/run/secrets/s', ReadOnly: true },
    { Type: 'bind', Source: '/p/s.txt', Target: '/c', ReadOnly: true },
  ]);
  assert.equal(b.HostConfig.NetworkMode, 'demo_back');
  assert.deepEqual(b.NetworkingConfig, { EndpointsConfig: { demo_back: { Aliases: ['site', 'web', 'site-alias'] } } });
  assert.deepEqual(plan.connect, [{ network: 'demo_default', endpoint: { Aliases: ['site', 'web'] } }]);
  assert.deepEqual(b.HostConfig.RestartPolicy, { Name: 'unless-stopped', MaximumRetryCount: 0 });
  assert.deepEqual(b.Healthcheck, { Test: ['CMD-SHELL', 'wget -q -O- localhost'], Interval: 2e9, Timeout: 1e9, StartPeriod: 5e9, Retries: 3 });
  assert.equal(b.HostConfig.NanoCpus, 5e8);
  assert.equal(b.HostConfig.Memory, 64 * 1024 * 1024);
  assert.equal(b.HostConfig.MemoryReservation, 32 * 1024 * 1024);
  assert.equal(b.HostConfig.PidsLimit, 50);
  assert.equal(b.HostConfig.Init, true);
  assert.equal(b.StopTimeout, 3);
  assert.equal(b.StopSignal, 'SIGUSR1');
  assert.equal(b.User, '1000:1000');
  assert.equal(b.WorkingDir, '/www');
  assert.deepEqual(b.HostConfig.Tmpfs, { '/run': 'size=1m' });
  assert.deepEqual(b.HostConfig.ExtraHosts, ['db:10.0.0.1']);
  assert.deepEqual(b.HostConfig.Dns, ['1.1.1.1']);
  assert.deepEqual(b.HostConfig.Ulimits, [
    { Name: 'nofile', Soft: 100, Hard: 200 },
    { Name: 'nproc', Soft: 64, Hard: 64 },
  ]);
  assert.deepEqual(b.HostConfig.Sysctls, { 'net.core.somaxconn': '1024' });
  assert.deepEqual([b.HostConfig.CapAdd, b.HostConfig.CapDrop], [['NET_ADMIN'], ['ALL']]);
  assert.equal(b.HostConfig.PidMode, 'host');
  assert.equal(b.HostConfig.IpcMode, 'shareable');
  assert.deepEqual(b.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m' } });
  assert.equal(b.Image, 'busybox');
  const l = b.Labels;
  assert.equal(l['a.b'], 'c');
  assert.equal(l['com.docker.compose.project'], 'demo');
  assert.equal(l['com.docker.compose.service'], 'web');
  assert.equal(l['com.docker.compose.container-number'], '1');
  assert.equal(l['com.docker.compose.oneoff'], 'False');
  assert.equal(l['com.docker.compose.project.working_dir'], '/p');
  assert.equal(l['com.docker.compose.project.config_files'], '/p/compose.yaml');
  assert.equal(l['com.docker.compose.depends_on'], 'db:service_healthy:false');
  assert.equal(l['com.docker.compose.image'], 'sha256:abc');
  assert.match(l['com.docker.compose.config-hash'], /^[0-9a-f]{64}$/);
});

test('names, replicas and the default network', () => {
  const p = load(FULL);
  const db = p.services['db']!;
  assert.equal(serviceScale(db), 2);
  const plan = planContainer({ project: p, service: db, number: 2 });
  assert.equal(plan.name, 'demo-db-2');
  assert.equal((plan.body as any).HostConfig.NetworkMode, 'demo_default');
  assert.deepEqual((plan.body as any).NetworkingConfig.EndpointsConfig.demo_default.Aliases, ['demo-db-2', 'db']);
  const kept = planContainer({ project: p, service: p.services['web']!, number: 1, inheritedVolumes: { '/anon': 'v123' } });
  assert.equal((kept.body as any).HostConfig.Mounts[0].Source, 'v123');
});

test('the config hash changes with the configuration, not with scale or the key order', () => {
  const a = load('services: {s: {image: busybox, environment: {A: "1", B: "2"}}}').services['s']!;
  const b = load('services: {s: {environment: {B: "2", A: "1"}, image: busybox, scale: 3}}').services['s']!;
  const c = load('services: {s: {image: busybox, environment: {A: "1", B: "3"}}}').services['s']!;
  assert.equal(configHash(a), configHash(b));
  assert.notEqual(configHash(a), configHash(c));
});

test('project networks and volumes carry Compose labels', () => {
  const p = load(FULL);
  const n = planNetwork(p, 'back', p.networks['back']!) as any;
  assert.equal(n.Name, 'demo_back');
  assert.deepEqual(n.Labels, { 'com.docker.compose.network': 'back', 'com.docker.compose.project': 'demo', 'com.docker.compose.version': '2.29.7' });
  const v = planVolume(p, 'data', p.volumes['data']!);
  assert.equal(v.Name, 'demo_data');
  assert.equal(v.Labels['com.docker.compose.volume'], 'data');
});

test('secrets and configs that are not files are injected at their targets', async () => {
  const { injectedFiles } = await import('./inject.ts');
  const p = loadProject({
    files: [],
    envFiles: [],
    profiles: [],
    env: { TOKEN: 't0k' },
    cwd: '/p',
    io: memoryIO({ '/p/compose.yaml': 'services: {a: {image: x, secrets: [e], configs: [{source: c, target: /etc/c.conf, mode: 0400}]}}\nsecrets: {e: {environment: TOKEN}}\nconfigs: {c: {content: "k=v"}}' }),
  }).project;
  assert.deepEqual(injectedFiles(p, p.services['a']!), [
    { target: '/run/secrets/e', content: 't0k', mode: 0o444, uid: 0, gid: 0 },
    { target: '/etc/c.conf', content: 'k=v', mode: 0o400, uid: 0, gid: 0 },
  ]);
});
