import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkRow, NETWORKS_HEADER, NETWORKS_TABLE } from './network-row.ts';
import { parseListFormat, renderList } from './list-format.ts';
import { formatGoTimeText } from './go-time.ts';

const NET = {
  Name: 'bcli-a', Id: '22fe9643793616782df57cbff6c9bb2995cf96d2bbb66e50d584dabb4a5a16be', Created: '2026-12-04T21:14:37.223807040Z',
  Scope: 'local', Driver: 'bridge', EnableIPv6: false, Internal: true, Labels: { b: '1', a: '2' },
};

test('network ls rows as docker prints them', () => {
  const rows = [networkRow(NET, true)];
  assert.equal(renderList(parseListFormat('', false, NETWORKS_TABLE), rows, NETWORKS_HEADER, 'x'), 'NETWORK ID     NAME      DRIVER    SCOPE\n22fe96437936   bcli-a    bridge    local\n');
  assert.equal(
    renderList(parseListFormat('{{json .}}', false, NETWORKS_TABLE), [networkRow(NET, false)], NETWORKS_HEADER, 'x'),
    '{"CreatedAt":"2026-12-04 21:14:37.22380704 +0000 UTC","Driver":"bridge","ID":"22fe9643793616782df57cbff6c9bb2995cf96d2bbb66e50d584dabb4a5a16be","IPv4":"false","IPv6":"false","Internal":"true","Labels":"a=2,b=1","Name":"bcli-a","Scope":"local"}\n',
  );
  assert.equal(renderList(parseListFormat('table {{.Name}}\t{{.Label "com.x.a-b"}}', false, NETWORKS_TABLE), rows, NETWORKS_HEADER, 'x'), 'NAME      a b\nbcli-a    \n');
});

test('Created prints as Go\'s time.Time String()', () => {
  assert.equal(formatGoTimeText('2026-12-04T21:11:14.819065175Z'), '2026-12-04 21:11:14.819065175 +0000 UTC');
  assert.equal(formatGoTimeText('2026-12-04T21:11:14Z'), '2026-12-04 21:11:14 +0000 UTC');
  assert.equal(formatGoTimeText('2026-12-04T21:11:14.5+01:00'), '2026-12-04 21:11:14.5 +0100 +0100');
});
