import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFormatted, renderTable, templateString } from './template-table.ts';
import { goStruct } from './template.ts';
import { TemplateExecError, TemplateParseError } from './template-errors.ts';

test('templateString follows docker Format.templateString', () => {
  assert.deepEqual(templateString('table'), { table: true, text: '' });
  assert.deepEqual(templateString('json'), { table: false, text: '{{json .}}' });
  assert.deepEqual(templateString('table {{.ID}}\\t{{.Image}}'), { table: true, text: '{{.ID}}\t{{.Image}}' });
  assert.deepEqual(templateString('  {{.ID}}\\n '), { table: false, text: '{{.ID}}\n' });
  assert.deepEqual(templateString('\t{{.ID}} '), { table: false, text: '\t{{.ID}}' });
});

test('renderTable aligns like docker (minwidth 10, padding 3)', () => {
  assert.equal(
    renderTable([['REPOSITORY', 'TAG', 'IMAGE ID'], ['busybox-ref', 'latest', '641a4b4d3206']]),
    'REPOSITORY    TAG       IMAGE ID\nbusybox-ref   latest    641a4b4d3206\n',
  );
  assert.equal(renderTable('a\tb\n'), 'a         b\n');
});

test('renderFormatted renders docker images --format "table …" byte for byte', () => {
  const row = goStruct({ Repository: 'busybox-ref', Tag: 'latest', ID: '641a4b4d3206' }, '*formatter.imageContext');
  const header = { Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID' };
  assert.equal(
    renderFormatted('table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}', [row], header),
    'REPOSITORY    TAG       IMAGE ID\nbusybox-ref   latest    641a4b4d3206\n',
  );
  assert.equal(renderFormatted('{{.Repository}}:{{.Tag}}', [row, row], header), 'busybox-ref:latest\nbusybox-ref:latest\n');
  assert.equal(renderFormatted('table {{lower .Tag}}', [row], header), 'TAG\nlatest\n');
  assert.throws(() => renderFormatted('{{.ID', [row], header), TemplateParseError);
  assert.throws(() => renderFormatted('{{.Foo}}', [row], header), (err: Error) => err instanceof TemplateExecError
    && err.message === 'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.imageContext');
});
