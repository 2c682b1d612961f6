import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from './parse-changes.ts';
import { InvalidParameterError } from '../../util/errors.ts';

test('change instructions apply to an image config', () => {
  const table: [string[], object][] = [
    [['CMD ["sh"]'], { Cmd: ['sh'] }],
    [['CMD echo hi'], { Cmd: ['/bin/sh', '-c', 'echo hi'] }],
    [['ENTRYPOINT ["/init"]'], { Entrypoint: ['/init'], Cmd: null }],
    [['ENV A=1 B="two words"', 'ENV C 3'], { Env: ['A=1', 'B=two words', 'C=3'] }],
    [['LABEL a=b "c d"=e'], { Labels: { a: 'b', 'c d': 'e' } }],
    [['EXPOSE 80 53/udp'], { ExposedPorts: { '80/tcp': {}, '53/udp': {} } }],
    [['VOLUME /data /logs'], { Volumes: { '/data': {}, '/logs': {} } }],
    [['VOLUME ["/x"]'], { Volumes: { '/x': {} } }],
    [['USER nobody', 'WORKDIR /srv', 'WORKDIR app', 'STOPSIGNAL SIGINT'], { User: 'nobody', WorkingDir: '/srv/app', StopSignal: 'SIGINT' }],
    [['onbuild RUN x'], { OnBuild: ['RUN x'] }],
  ];
  for (const [changes, want] of table) assert.deepEqual(applyChanges({}, changes), want, changes.join(' | '));
});

test('unknown instructions are refused with Docker\'s message', () => {
  assert.throws(() => applyChanges({}, ['RUN true']), (e: unknown) => e instanceof InvalidParameterError && e.message === 'run is not a valid change command');
  assert.throws(() => applyChanges({}, ['EXPOSE abc']), InvalidParameterError);
});

test('commit: changes over the request config, the rest from the container (moby merge)', async () => {
  const { mergeCommitConfig } = await import('./parse-changes.ts');
  const container = { Cmd: ['true'], Entrypoint: null, Env: ['PATH=/bin', 'A=1'], User: 'u', WorkingDir: '/w', Labels: { x: '1' }, ExposedPorts: { '80/tcp': {} } };
  // An empty CMD or ENTRYPOINT leaves the container's.
  const empty = mergeCommitConfig(applyChanges({}, ['CMD []', 'ENTRYPOINT []']), container);
  assert.deepEqual([empty.Cmd, empty.Entrypoint], [['true'], null]);
  // A new ENTRYPOINT without CMD drops the container's CMD; env and labels merge, user and workdir inherit.
  const merged = mergeCommitConfig(applyChanges({}, ['ENTRYPOINT ["sh"]', 'ENV A=2', 'LABEL y=2', 'EXPOSE 443']), container);
  assert.deepEqual(merged.Cmd, null);
  assert.deepEqual(merged.Entrypoint, ['sh']);
  assert.deepEqual(merged.Env, ['A=2', 'PATH=/bin']);
  assert.deepEqual(merged.Labels, { x: '1', y: '2' });
  assert.deepEqual(merged.ExposedPorts, { '80/tcp': {}, '443/tcp': {} });
  assert.deepEqual([merged.User, merged.WorkingDir], ['u', '/w']);
});
