// The pull's progress events render byte for byte as dockerd 20.10 wrote
// them when pulling the busybox fixture from a docker-registry on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProgressEvent } from '../../engine/progress-event.ts';
import { formatJsonMessage } from './json-lines.ts';
import { toJsonMessage } from './progress-messages.ts';

test("a pull's events are dockerd's JSON lines", () => {
  const cases: Array<[ProgressEvent, string]> = [
    [{ kind: 'status', message: 'Pulling from busybox', id: 'latest' }, '{"status":"Pulling from busybox","id":"latest"}'],
    [{ kind: 'layer', id: 'af232b295e33', action: 'Pulling fs layer' }, '{"status":"Pulling fs layer","progressDetail":{},"id":"af232b295e33"}'],
    [{ kind: 'layer', id: 'b3d754a0790f', action: 'Waiting' }, '{"status":"Waiting","progressDetail":{},"id":"b3d754a0790f"}'],
    [
      { kind: 'layer', id: 'af232b295e33', action: 'Downloading', current: 36445, total: 1087937 },
      '{"status":"Downloading","progressDetail":{"current":36445,"total":1087937},"progress":"[=\\u003e                                                 ]  36.45kB/1.088MB","id":"af232b295e33"}',
    ],
    [{ kind: 'layer', id: 'af232b295e33', action: 'Verifying Checksum' }, '{"status":"Verifying Checksum","progressDetail":{},"id":"af232b295e33"}'],
    [{ kind: 'layer', id: '877d8d7817d0', action: 'Download complete' }, '{"status":"Download complete","progressDetail":{},"id":"877d8d7817d0"}'],
    [
      { kind: 'layer', id: 'af232b295e33', action: 'Extracting', current: 1087937, total: 1087937 },
      '{"status":"Extracting","progressDetail":{"current":1087937,"total":1087937},"progress":"[==================================================\\u003e]  1.088MB/1.088MB","id":"af232b295e33"}',
    ],
    [{ kind: 'layer', id: 'af232b295e33', action: 'Pull complete' }, '{"status":"Pull complete","progressDetail":{},"id":"af232b295e33"}'],
    [{ kind: 'layer', id: 'af232b295e33', action: 'Already exists' }, '{"status":"Already exists","progressDetail":{},"id":"af232b295e33"}'],
    [
      { kind: 'status', message: 'Digest: sha256:1a6588e64365886d6ab1f2eb8d63ef42c2ac96818de98d88448039ee25dfc436' },
      '{"status":"Digest: sha256:1a6588e64365886d6ab1f2eb8d63ef42c2ac96818de98d88448039ee25dfc436"}',
    ],
    [{ kind: 'status', message: 'Status: Downloaded newer image for 127.0.0.1:45601/busybox:latest' }, '{"status":"Status: Downloaded newer image for 127.0.0.1:45601/busybox:latest"}'],
  ];
  // Go escapes < > & in JSON strings; compare on the decoded values and on the text without that escape.
  for (const [event, line] of cases) {
    const ours = formatJsonMessage(toJsonMessage(event));
    assert.deepEqual(JSON.parse(ours), JSON.parse(line), event.kind);
    assert.equal(ours.replace(/>/g, '\\u003e'), `${line}\r\n`);
  }
});
