import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildArgs } from './build-args.ts';

test('stage args: the request overrides defaults, meta args give defaults, proxies pass without ARG', () => {
  const root = new BuildArgs({ A: '5', HTTP_PROXY: 'http://p', UNUSED: 'x', NOVALUE: null });
  root.addMeta('V', '1');
  root.addMeta('A', '0');
  const stage = root.forStage();
  assert.deepEqual([...stage.allowedValues()], [['HTTP_PROXY', 'http://p']], 'meta args are not allowed in a stage until declared');
  stage.add('A', '9');
  stage.add('V', undefined);
  stage.add('NOVALUE', undefined);
  assert.deepEqual(Object.fromEntries(stage.allowedValues()), { A: '5', V: '1', HTTP_PROXY: 'http://p' });
  assert.deepEqual(stage.filterAllowed(['A=env']), ['HTTP_PROXY=http://p', 'V=1']);
  assert.equal(stage.isReferencedOrNotBuiltin('HTTP_PROXY'), false);
  assert.equal(stage.isReferencedOrNotBuiltin('A'), true);
  assert.equal(root.unusedWarning(), '[Warning] One or more build-args [UNUSED] were not consumed');
  assert.deepEqual(Object.fromEntries(root.metaValues()), { A: '5', V: '1', HTTP_PROXY: 'http://p' });
});
