import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from './router.ts';
import { splitVersion } from './version.ts';
import { queryBool, queryFilters, queryInt } from './query.ts';
import { SystemError } from '../util/errors.ts';

test('routes match single and greedy parameters; HEAD falls back to GET', () => {
  const r = new Router();
  const h = async () => undefined;
  r.add('GET', '/containers/{id}/json', h);
  r.add('GET', '/images/{name*}/json', h);
  const m = r.match('GET', '/images/localhost:5000/a/b:tag/json');
  assert.notEqual(m, 'not-found');
  assert.deepEqual(m !== 'not-found' && m.params, { name: 'localhost:5000/a/b:tag' });
  const c = r.match('HEAD', '/containers/abc/json');
  assert.deepEqual(c !== 'not-found' && c.params, { id: 'abc' });
  assert.equal(r.match('POST', '/containers/abc/json'), 'not-found');
  assert.equal(r.match('GET', '/containers/a/b/json'), 'not-found');
});

test('version prefixes are optional and bounded', () => {
  assert.deepEqual(splitVersion('/v1.41/containers/json'), { version: '1.41', path: '/containers/json' });
  assert.deepEqual(splitVersion('/containers/json'), { version: '1.43', path: '/containers/json' });
  assert.throws(() => splitVersion('/v1.23/info'), /too old/);
  assert.throws(() => splitVersion('/v1.44/info'), /too new/);
});

test('query helpers read Docker booleans and both filter forms', () => {
  const q = new URLSearchParams('a=1&b=false&c=True&filters={"status":{"exited":true},"label":{"x=y":true}}');
  assert.equal(queryBool(q, 'a'), true);
  assert.equal(queryBool(q, 'b'), false);
  assert.equal(queryBool(q, 'c'), true);
  assert.equal(queryBool(q, 'missing', true), true);
  const words = new URLSearchParams('n=none&o=off&m=maybe&e=');
  assert.deepEqual(['n', 'o', 'm', 'e'].map((k) => queryBool(words, k, true)), [false, true, true, false]);
  assert.deepEqual([...queryFilters(q)], [['status', ['exited']], ['label', ['x=y']]]);
  assert.deepEqual([...queryFilters(new URLSearchParams('filters={"status":["exited"],"label":["x=y"]}'))], [['status', ['exited']], ['label', ['x=y']]]);
  // As dockerd's filters.FromJSON, with Go's words (500s: its errors are untyped).
  const refused = (json: string, message: string) =>
    assert.throws(() => queryFilters(new URLSearchParams({ filters: json })), (err) => err instanceof SystemError && err.message === message, json);
  refused('nope', "invalid character 'o' in literal null (expecting 'u')");
  refused('{bad', "invalid character 'b' looking for beginning of object key string");
  refused('{}}', "invalid character '}' after top-level value");
  refused('[]', 'json: cannot unmarshal array into Go value of type map[string]map[string]bool');
  refused('"x"', 'json: cannot unmarshal string into Go value of type map[string]map[string]bool');
  refused('{"a":1}', 'json: cannot unmarshal number into Go value of type map[string]bool');
  refused('{"a":{"x":"yes"}}', 'json: cannot unmarshal string into Go value of type bool');
  refused('{"a":{"x":true},"b":["y"]}', 'json: cannot unmarshal array into Go value of type map[string]bool');
  assert.deepEqual(queryFilters(new URLSearchParams({ filters: 'null' })), new Map());
  assert.deepEqual(queryFilters(new URLSearchParams({ filters: '{"status":["running"],"x":null}' })), new Map([['status', ['running']], ['x', []]]));
  assert.deepEqual(queryFilters(new URLSearchParams({ filters: '{"status":{"running":true}}' })), new Map([['status', ['running']]]));
});

test('integer query parameters are read as strconv.Atoi reads them, with its words', () => {
  const q = (s: string) => new URLSearchParams(s);
  assert.equal(queryInt(q('t=10'), 't'), 10);
  assert.equal(queryInt(q('t=-1'), 't'), -1);
  assert.equal(queryInt(q('t=%2B7'), 't'), 7);
  assert.equal(queryInt(q('t='), 't'), undefined);
  assert.throws(() => queryInt(q('t=1.5'), 't'), { name: 'SystemError', message: 'strconv.Atoi: parsing "1.5": invalid syntax' });
  assert.throws(() => queryInt(q('t=1e3'), 't'), { message: 'strconv.Atoi: parsing "1e3": invalid syntax' });
  assert.throws(() => queryInt(q('t=99999999999999999999'), 't'), { message: 'strconv.Atoi: parsing "99999999999999999999": value out of range' });
  assert.throws(() => queryInt(q('h=x'), 'h', 400), { name: 'InvalidParameterError', message: 'strconv.Atoi: parsing "x": invalid syntax' });
});
