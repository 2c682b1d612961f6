import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Progress } from './progress.ts';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, write: (t: string) => out.push(t), isTTY };
}

test('off a terminal every event is a line, as Compose v2 prints it', () => {
  const s = sink(false);
  const p = Progress.auto(s, undefined);
  p.event('Network p_default', 'Creating');
  p.event('Network p_default', 'Created');
  p.event('Container p-web-1', 'Started');
  assert.equal(s.out.join(''), ' Network p_default  Creating\n Network p_default  Created\n Container p-web-1  Started\n');
});

test('on a terminal the resources are redrawn under a [+] Running n/m header', () => {
  const s = sink(true);
  const p = Progress.auto(s, undefined);
  p.event('Container p-a-1', 'Starting');
  p.event('Container p-b-1', 'Starting');
  p.event('Container p-a-1', 'Started');
  const last = s.out.at(-1)!;
  assert.ok(last.startsWith('\x1b[3A'), 'moves up over the previous frame');
  assert.match(last, /\[\+\] Running 1\/2\n/);
  assert.match(last, /✔.* Container p-a-1  Started /);
  assert.match(last, /⠿ Container p-b-1  Starting/);
});

test('quiet prints nothing; --progress plain forces lines on a terminal', () => {
  const q = sink(true);
  Progress.auto(q, 'quiet').event('x', 'Created');
  assert.deepEqual(q.out, []);
  const pl = sink(true);
  Progress.auto(pl, 'plain').event('x', 'Created');
  assert.deepEqual(pl.out, [' x  Created\n']);
});
