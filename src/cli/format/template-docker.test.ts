/**
 * Docker-specific behaviour of the template engine, checked against the
 * docker 28 CLI (Go 1.24) and docker/cli's formatter and inspect code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goMap, goStruct, parseTemplate } from './template.ts';
import type { TemplateOptions } from './template.ts';

const run = (text: string, data: unknown, options: TemplateOptions = {}): string => parseTemplate(text, options).execute(data);
const fails = (text: string, data: unknown, message: string, options: TemplateOptions = {}): void => {
  assert.throws(() => run(text, data, options), (err: Error) => {
    assert.equal(err.message, message);
    return true;
  });
};

test('formatter rows are structs: a missing field names the Go type (docker images --format {{.Foo}})', () => {
  const row = goStruct({ ID: '641a4b4d3206', Repository: 'busybox' }, '*formatter.imageContext');
  assert.equal(run('{{.Repository}} {{.ID}}', row), 'busybox 641a4b4d3206');
  fails('{{.Foo}}', row, 'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.imageContext');
});

test('inspect uses missingkey=error on maps, typed maps still print <no value>', () => {
  const image = { Os: 'linux', Size: 1984240, Config: { Labels: goMap({ a: 'b' }, ''), Cmd: ['sh'] } };
  const opts = { missingKey: 'error' as const };
  fails('{{.Foo}}', image, 'template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"', opts);
  fails('{{.Config.Foo}}', image, 'template: :1:9: executing "" at <.Config.Foo>: map has no entry for key "Foo"', opts);
  fails('{{.Os.x}}', image, 'template: :1:5: executing "" at <.Os.x>: can\'t evaluate field x in type interface {}', opts);
  assert.equal(run('{{.Config.Labels.x}}|{{index .Config.Labels "x"}}|{{.Config.Labels.a}}', image, opts), '<no value>||b');
  assert.equal(run('{{json .Config.Cmd}} {{.Config.Cmd}} {{.Size}}', image, opts), '["sh"] [sh] 1984240');
});

test('call reports a non-function with its operand', () => {
  fails('{{call .Os}}', { Os: 'linux' }, 'template: :1:2: executing "" at <call .Os>: error calling call: non-function .Os of type string');
  const funcs = { mul: () => (a: number, b: number): number => a * b };
  assert.equal(run('{{call (mul) 2 3}}', null, { funcs }), '6');
  // A function property is a method: `.F 2 3` calls it with the arguments.
  assert.equal(run('{{.F 2 3}}', { F: (a: number, b: number) => a + b }), '5');
});

test('Go 1.22+ range over an integer and Go 1.23+ else with', () => {
  assert.equal(run('{{range 3}}{{.}}{{end}}', null), '012');
  assert.equal(run('{{range $i := 2}}[{{$i}}]{{end}}', null), '[0][1]');
  assert.equal(run('{{with .a}}a{{else with .b}}b={{.}}{{else}}none{{end}}', { b: 2 }), 'b=2');
  assert.equal(run('{{with .a}}a{{else with .b}}b{{else}}none{{end}}', {}), 'none');
});

test('json matches json.Marshal without HTML escaping and without a newline', () => {
  assert.equal(run('{{json .}}', { a: '<a&>', b: [1, 2.5, null], c: {} }), '{"a":"<a&>","b":[1,2.5,null],"c":{}}');
  assert.equal(run('{{json .}}', '\u2028\u0001\n'), '"\\u2028\\u0001\\n"');
  assert.equal(run('{{json .}}', { big: 12345678901234567890n, tiny: 1e-7, huge: 1e21 }), '{"big":12345678901234567890,"tiny":1e-7,"huge":1e+21}');
  // Structs keep field order; typed maps are sorted like Go maps.
  assert.equal(run('{{json .}}', { Z: 1, A: goMap({ z: 1, a: 2 }) }), '{"Z":1,"A":{"a":2,"z":1}}');
  assert.equal(run('{{json .}}', { toJSON: () => ({ x: 1 }) }), '{"x":1}');
  assert.equal(run('{{json .missing}}', {}), 'null');
});

test('methods: function properties are called, with arguments', () => {
  const ctx = goStruct({
    Names: () => 'web',
    Label: (name: string) => (name === 'com.x' ? 'yes' : ''),
    Fail: () => { throw new Error('boom'); },
  }, '*formatter.ContainerContext');
  assert.equal(run('{{.Names}} {{.Label "com.x"}} {{"com.x" | .Label}}', ctx), 'web yes yes');
  fails('{{.Fail}}', ctx, 'template: :1:2: executing "" at <.Fail>: error calling Fail: boom');
  class Row {
    constructor(private readonly id: string) {}
    ID(): string { return this.id.slice(0, 12); }
  }
  assert.equal(run('{{.ID}}', new Row('0123456789abcdef')), '0123456789ab');
  assert.equal(run('{{.constructor}}', {}), '<no value>', 'Object.prototype members are not fields');
});

test('user functions and goOnly', () => {
  assert.equal(run('{{double 21}}', null, { funcs: { double: (n) => Number(n) * 2 } }), '42');
  assert.throws(() => parseTemplate('{{json .}}', { goOnly: true }), /function "json" not defined/);
  fails('{{bad}}', null, 'template: :1:2: executing "" at <bad>: error calling bad: nope', {
    funcs: { bad: () => { throw new Error('nope'); } },
  });
});

test('header functions keep column titles intact (docker/cli HeaderFunctions)', () => {
  const t = parseTemplate('{{upper .Name}}\t{{truncate .ID 3}}\t{{json .Labels}}\t{{pad .Name 1 1}}');
  const header = { Name: 'NAME', ID: 'CONTAINER ID', Labels: 'LABELS' };
  assert.equal(t.execute(header, { headerFunctions: true }), 'NAME\tCONTAINER ID\tLABELS\t NAME ');
  assert.equal(t.execute({ Name: 'web', ID: 'abcdef', Labels: { a: '1' } }), 'WEB\tabc\t{"a":"1"}\t web ');
});

test('%v of structs and maps prints as Go does', () => {
  const state = goStruct({ Status: 'running', Running: true, Pid: 1234, Error: '' }, 'types.ContainerState');
  assert.equal(run('{{.}}', state), '{running true 1234 }');
  assert.equal(run('{{printf "%+v" .}}', state), '{Status:running Running:true Pid:1234 Error:}');
  assert.equal(run('{{.}}', { b: [1, 2], a: { y: null } }), 'map[a:map[y:<nil>] b:[1 2]]');
  fails('{{range .}}{{end}}', state, 'template: :1:8: executing "" at <.>: range can\'t iterate over {running true 1234 }');
});

test('Docker formatting examples (docs.docker.com/config/formatting)', () => {
  const data = { Args: ['-c', 'true'], Name: 'web', Id: 'ABC', Config: { Labels: goMap({ b: '2', a: '1' }, '') } };
  assert.equal(run('{{join .Args " , "}}', data), '-c , true');
  assert.equal(run('{{json .Config.Labels}}', data), '{"a":"1","b":"2"}');
  assert.equal(run('{{lower .Id}} {{upper .Name}} {{title .Name}}', data), 'abc WEB Web');
  assert.equal(run('{{split .Name "e"}}', data), '[w b]');
  assert.equal(run('{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}', data), 'a=1;b=2;');
  assert.equal(run('{{println .Name}}', data), 'web\n');
  assert.equal(run('{{len .Name}} {{truncate .Name 2}} {{pad .Name 2 0}}', data), '3 we   web');
});

test('numbers: integers print whole, floats in Go %v form', () => {
  assert.equal(run('{{.}}', [1, 1.5, 1e6 + 0.5, 1e21, 0.00001, -0.5, 2 ** 60]), '[1 1.5 1.0000005e+06 1e+21 1e-05 -0.5 1152921504606846976]');
  assert.equal(run('{{printf "%.2f %.0f %.0f %e %g" 1.005 0.5 1.5 0 1e100}}', null), '1.00 0 2 0.000000e+00 1e+100');
  assert.equal(run('{{printf "%d %x" (index . 0) (index . 1)}}', [2n ** 64n, -255]), '18446744073709551616 -ff');
});

test('{{json .}} of a list row is docker\'s formatter.MarshalJSON: keys sorted, HTML escaped; {{json .Field}} is not escaped', async () => {
  const { renderList, parseListFormat } = await import('./list-format.ts');
  const rows = () => [{ Tag: '<none>', ID: 'abc', Ports: '0.0.0.0:80->80/tcp & more' }];
  assert.equal(renderList(parseListFormat('json', false, 'table'), rows(), {}, 'row'), '{"ID":"abc","Ports":"0.0.0.0:80-\\u003e80/tcp \\u0026 more","Tag":"\\u003cnone\\u003e"}\n');
  assert.equal(renderList(parseListFormat('{{json .Tag}}', false, 'table'), rows(), {}, 'row'), '"<none>"\n');
});

test('a row can be rendered again (stats redraws the same rows every second)', async () => {
  const { renderList, parseListFormat } = await import('./list-format.ts');
  const rows = [{ Name: 'a' }];
  const format = parseListFormat('{{.Name}}', false, 'table');
  assert.equal(renderList(format, rows, {}, 'row'), 'a\n');
  assert.equal(renderList(format, rows, {}, 'row'), 'a\n');
});
