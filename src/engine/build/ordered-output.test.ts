import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProgressEvent } from '../progress-event.ts';
import { OrderedOutput } from './ordered-output.ts';

const text = (t: string): ProgressEvent => ({ kind: 'output', text: t });

test('later stages are held until the earlier ones finish', async () => {
  const seen: string[] = [];
  const out = new OrderedOutput((e) => void seen.push(e.kind === 'output' ? e.text : ''), [0, 2, 5]);
  await out.forStage(2)(text('b1'));
  await out.forStage(0)(text('a1'));
  await out.forStage(5)(text('c1'));
  assert.deepEqual(seen, ['a1']);
  await out.finish(2);
  assert.deepEqual(seen, ['a1'], 'a stage done before its turn waits');
  await out.finish(0);
  assert.deepEqual(seen, ['a1', 'b1', 'c1']);
  await out.forStage(5)(text('c2'));
  await out.finish(5);
  await out.final(text('end'));
  assert.deepEqual(seen, ['a1', 'b1', 'c1', 'c2', 'end']);
});
