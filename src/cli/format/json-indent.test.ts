import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInspectArray, indentJson } from './json-indent.ts';

test('indentJson reproduces Go json.Indent', () => {
  assert.equal(indentJson('{"a":1,"b":[],"c":{},"d":[1,2],"e":"x\\u003cy, {z}"}', '', '  '), '{\n  "a": 1,\n  "b": [],\n  "c": {},\n  "d": [\n    1,\n    2\n  ],\n  "e": "x\\u003cy, {z}"\n}');
});

test('inspect output is a 4-space indented array, [] when empty', () => {
  assert.equal(formatInspectArray([]), '[]\n');
  assert.equal(formatInspectArray(['{"Id":"abc","Args":null}\n']), '[\n    {\n        "Id": "abc",\n        "Args": null\n    }\n]\n');
});
