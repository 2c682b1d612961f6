import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSignalForLinux, parseSignal } from './signals.ts';
import { hostsFile, resolvConfFile } from './etc-files.ts';
import { selectContainers } from './filters.ts';
import { newState, type ContainerRecord } from './record.ts';
import { statusText } from './to-wire.ts';

test('signals parse as Docker accepts them', () => {
  const cases: Array<[string, number]> = [['SIGTERM', 15], ['TERM', 15], ['kill', 9], ['9', 9], ['SIGUSR1', 10], ['RTMIN+2', 36]];
  for (const [text, n] of cases) assert.equal(parseSignal(text), n, text);
  for (const bad of ['NOPE', '0', '']) assert.throws(() => parseSignal(bad), /Invalid signal/);
  for (const n of [32, 33, 65, 99]) assert.throws(() => checkSignalForLinux(parseSignal(String(n))), new RegExp(`The linux daemon does not support signal ${n}$`));
  for (const n of [1, 31, 34, 64]) checkSignalForLinux(n);
});

test('resolv.conf drops loopback nameservers and falls back to public ones', () => {
  assert.equal(resolvConfFile('nameserver 127.0.0.53\nsearch lan\n'), 'search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  assert.equal(resolvConfFile('nameserver 10.0.0.2\noptions ndots:2\n'), 'nameserver 10.0.0.2\noptions ndots:2\n');
  assert.equal(resolvConfFile('nameserver 10.0.0.2\n', { dns: ['1.1.1.1'] }), 'nameserver 1.1.1.1\n');
});

test('hosts file has localhost entries, extra hosts and the container address', () => {
  const text = hostsFile({ hostname: 'box', extraHosts: ['db:10.1.2.3'], addresses: ['172.30.0.2'] });
  assert.match(text, /^127\.0\.0\.1\tlocalhost\n/);
  assert.match(text, /10\.1\.2\.3\tdb\n/);
  assert.match(text, /172\.30\.0\.2\tbox\n$/);
});

function record(name: string, created: string, status: ContainerRecord['state']['status'], extra: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    id: name.padEnd(64, '0'), name: `/${name}`, created, image: 'sha256:img', imageChainId: '', config: { Image: 'busybox', Labels: { app: name } },
    hostConfig: {}, path: 'sh', args: [], state: { ...newState(), status }, restartCount: 0, networkMode: 'default', ...extra,
  };
}

test('container list selection: all, filters, limit, newest first', () => {
  const recs = [
    record('aa', '2024-01-01T00:00:01Z', 'running'),
    record('bb', '2024-01-01T00:00:02Z', 'exited', { state: { ...newState(), status: 'exited', exitCode: 3 } }),
    record('cc', '2024-01-01T00:00:03Z', 'created', { hostConfig: { Binds: ['/srv/data:/data'] } }),
  ];
  const base = { imageIdOf: () => 'sha256:img', containerOf: (r: string) => recs.find((x) => x.name === `/${r}`)! };
  const names = (o: Partial<Parameters<typeof selectContainers>[1]>) =>
    selectContainers(recs, { all: false, filters: new Map(), ...base, ...o }).map((r) => r.name);
  assert.deepEqual(names({}), ['/aa']);
  assert.deepEqual(names({ all: true }), ['/cc', '/bb', '/aa']);
  assert.deepEqual(names({ filters: new Map([['status', ['exited']]]) }), ['/bb']);
  assert.deepEqual(names({ filters: new Map([['exited', ['3']]]) }), ['/bb']);
  assert.deepEqual(names({ all: true, filters: new Map([['label', ['app=cc']]]) }), ['/cc']);
  assert.deepEqual(names({ all: true, filters: new Map([['name', ['b']]]) }), ['/bb']);
  assert.deepEqual(names({ limit: 1 }), ['/cc']);
  assert.deepEqual(names({ all: true, filters: new Map([['name', ['^/bb$']]]) }), ['/bb']);
  assert.deepEqual(names({ all: true, filters: new Map([['name', ['^bb$']]]) }), ['/bb']);
  assert.deepEqual(names({ all: true, filters: new Map([['name', ['(']]]) }), []);
  assert.deepEqual(names({ all: true, filters: new Map([['volume', ['/data']]]) }), ['/cc']);
  assert.deepEqual(names({ all: true, filters: new Map([['volume', ['/srv/data']]]) }), ['/cc']);
  assert.deepEqual(names({ all: true, filters: new Map([['volume', ['/srv']]]) }), []);
  assert.deepEqual(names({ all: true, filters: new Map([['expose', ['80']]]) }), []);
  assert.deepEqual(names({ filters: new Map([['before', ['cc']]]) }), ['/bb', '/aa']);
  assert.deepEqual(names({ filters: new Map([['ancestor', ['busybox']]]), all: true }).length, 3);
  assert.throws(() => names({ filters: new Map([['bogus', ['1']]]) }), /Invalid filter 'bogus'/);
  assert.throws(() => names({ filters: new Map([['status', ['sleeping']]]) }), /Invalid filter 'status=sleeping'/);
  assert.throws(() => names({ filters: new Map([['exited', ['x']]]) }), /strconv.Atoi: parsing "x": invalid syntax/);
});

test('status text as dockerd words it', () => {
  const now = Date.parse('2024-01-01T00:10:00Z');
  const r = record('aa', '2024-01-01T00:00:00Z', 'running', { state: { ...newState(), status: 'running', startedAt: '2024-01-01T00:09:57Z' } });
  assert.equal(statusText(r, now), 'Up 3 seconds');
  r.state.status = 'paused';
  assert.equal(statusText(r, now), 'Up 3 seconds (Paused)');
  r.state = { ...r.state, status: 'exited', exitCode: 1, finishedAt: '2024-01-01T00:08:00Z' };
  assert.equal(statusText(r, now), 'Exited (1) 2 minutes ago');
  assert.equal(statusText(record('bb', '2024-01-01T00:00:00Z', 'created'), now), 'Created');
});

test('restart policy decisions', async () => {
  const { shouldRestart } = await import('./container-service.ts');
  const r = (policy: { Name?: string; MaximumRetryCount?: number }, restartCount = 0, manuallyStopped = false) =>
    ({ ...record('aa', '2024-01-01T00:00:00Z', 'exited'), hostConfig: { RestartPolicy: policy }, restartCount, manuallyStopped }) as ContainerRecord;
  assert.equal(shouldRestart(r({ Name: 'no' }), 1), false);
  assert.equal(shouldRestart(r({ Name: 'always' }), 0), true);
  assert.equal(shouldRestart(r({ Name: 'always' }, 0, true), 0), false);
  assert.equal(shouldRestart(r({ Name: 'unless-stopped' }), 0), true);
  assert.equal(shouldRestart(r({ Name: 'on-failure' }), 0), false);
  assert.equal(shouldRestart(r({ Name: 'on-failure' }), 1), true);
  assert.equal(shouldRestart(r({ Name: 'on-failure', MaximumRetryCount: 2 }, 2), 1), false);
  assert.equal(shouldRestart(r({ Name: 'on-failure', MaximumRetryCount: 2 }, 1), 1), true);
});

test('which stopped containers the daemon starts when it starts (moby restore)', async () => {
  const { shouldStartAtBoot } = await import('./container-service.ts');
  const r = (policy: { Name?: string; MaximumRetryCount?: number }, exitCode: number, manuallyStopped: boolean, restartCount = 0, ran = true) =>
    ({
      ...record('aa', '2024-01-01T00:00:00Z', 'exited'),
      hostConfig: { RestartPolicy: policy },
      state: { ...newState(), status: 'exited', exitCode, startedAt: ran ? '2024-01-01T00:00:01Z' : newState().startedAt },
      restartCount,
      manuallyStopped,
    }) as ContainerRecord;
  assert.equal(shouldStartAtBoot(r({ Name: 'always' }, 137, true)), true, 'always: even after docker stop');
  assert.equal(shouldStartAtBoot(r({ Name: 'always' }, 0, false, 0, false)), false, 'never started: no');
  assert.equal(shouldStartAtBoot(r({ Name: 'unless-stopped' }, 137, true)), false);
  assert.equal(shouldStartAtBoot(r({ Name: 'unless-stopped' }, 0, false)), true);
  assert.equal(shouldStartAtBoot(r({ Name: 'on-failure' }, 0, false)), false);
  assert.equal(shouldStartAtBoot(r({ Name: 'on-failure' }, 137, true)), true, 'a failure, a manual stop included');
  assert.equal(shouldStartAtBoot(r({ Name: 'on-failure', MaximumRetryCount: 1 }, 1, false, 1)), false);
  assert.equal(shouldStartAtBoot(r({ Name: 'no' }, 1, false)), false);
});
