/**
 * HostConfig.RestartPolicy as inspect shows it for each --restart the CLI
 * sends: always a Name and a MaximumRetryCount (the CLI's default is "no").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMAGE, cli, requireHost, testName } from './harness.ts';

test('inspect shows the restart policy with its retry count, whatever --restart was given', (t) => {
  if (!requireHost(t)) return;
  const name = testName(t);
  const cases: [string[], string][] = [
    [[], '{"Name":"no","MaximumRetryCount":0}'],
    [['--restart', 'no'], '{"Name":"no","MaximumRetryCount":0}'],
    [['--restart', 'always'], '{"Name":"always","MaximumRetryCount":0}'],
    [['--restart', 'unless-stopped'], '{"Name":"unless-stopped","MaximumRetryCount":0}'],
    [['--restart', 'on-failure'], '{"Name":"on-failure","MaximumRetryCount":0}'],
    [['--restart', 'on-failure:3'], '{"Name":"on-failure","MaximumRetryCount":3}'],
  ];
  for (const [i, [flags, want]] of cases.entries()) {
    const n = `${name}-${i}`;
    t.after(() => cli(['rm', '-f', n]));
    const created = cli(['create', '--name', n, ...flags, IMAGE, 'true']);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(cli(['inspect', '--format', '{{json .HostConfig.RestartPolicy}}', n]).stdout, `${want}\n`, flags.join(' '));
  }
});
