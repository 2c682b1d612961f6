import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Digest } from '../../oci/digest.ts';
import type { ProgressEvent } from '../../engine/progress-event.ts';
import { formatJsonMessage } from './json-lines.ts';
import { formatProgressBar, humanSize, toJsonMessage } from './progress-messages.ts';

const ID = 'sha256:641a4b4d320681b7b02af324295f98ffc5ab378f75aafe26040ce6fe91a25660' as Digest;

test('each progress event renders as the JSON line dockerd writes for it', () => {
  const cases: Array<[ProgressEvent, string]> = [
    [{ kind: 'status', message: 'Downloading from http://h/x.tar' }, '{"status":"Downloading from http://h/x.tar"}'],
    [{ kind: 'status', message: 'Pulling from library/busybox', id: 'latest' }, '{"status":"Pulling from library/busybox","id":"latest"}'],
    [{ kind: 'layer', id: '21094f3aeb1b', action: 'Pulling fs layer' }, '{"status":"Pulling fs layer","progressDetail":{},"id":"21094f3aeb1b"}'],
    [
      { kind: 'layer', id: '21094f3aeb1b', action: 'Downloading', current: 32768, total: 2217178 },
      '{"status":"Downloading","progressDetail":{"current":32768,"total":2217178},"progress":"[>                                                  ]  32.77kB/2.217MB","id":"21094f3aeb1b"}',
    ],
    [{ kind: 'output', text: 'hi\n' }, '{"stream":"hi\\n"}'],
    [{ kind: 'loaded', id: ID, ref: 'busybox:latest' }, '{"stream":"Loaded image: busybox:latest\\n"}'],
    [{ kind: 'loaded', id: ID }, `{"stream":"Loaded image ID: ${ID}\\n"}`],
    [
      { kind: 'tag-moved', ref: 'busybox:latest', previousId: ID },
      `{"stream":"The image busybox:latest already exists, renaming the old one with ID ${ID} to empty string\\n"}`,
    ],
    [{ kind: 'built', id: ID }, `{"aux":{"ID":"${ID}"}}`],
    [{ kind: 'pushed', tag: 'v1', digest: ID, size: 527 }, `{"progressDetail":{},"aux":{"Tag":"v1","Digest":"${ID}","Size":527}}`],
  ];
  for (const [event, line] of cases) assert.equal(formatJsonMessage(toJsonMessage(event)), `${line}\r\n`, event.kind);
});

test('progress bars and sizes read as Docker renders them', () => {
  const cases: Array<[number, number, string]> = [
    [0, 0, ''],
    [1500, 0, '   1.5kB'],
    [2217178, 2217178, `[${'='.repeat(50)}>]  2.217MB/2.217MB`],
    [1108589, 2217178, `[${'='.repeat(25)}>${' '.repeat(25)}]  1.109MB/2.217MB`],
    [3000, 1000, `[${'='.repeat(50)}>]      3kB`], // dockerd 20.10 pushing: a current past its total shows alone
  ];
  for (const [current, total, bar] of cases) assert.equal(formatProgressBar(current, total), bar, `${current}/${total}`);
  assert.deepEqual([0, 999, 1000, 999960, 1234567, 5e12].map(humanSize), ['0B', '999B', '1kB', '1000kB', '1.235MB', '5TB']);
});
