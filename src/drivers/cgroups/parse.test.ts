import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseFlatKeyed,
  parseMemTotal,
  parseNetDev,
  parseNumberList,
  parseProcStatTicks,
  parseSingleValue,
  parseV1Blkio,
  parseV2IoStat,
} from './parse.ts';
import { parseOomKillCount } from './oom.ts';

test('flat keyed files become a record of numbers', () => {
  assert.deepEqual(parseFlatKeyed('cache 9297920\nrss 8622080\n\ntotal_rss 1\n'), { cache: 9297920, rss: 8622080, total_rss: 1 });
  assert.deepEqual(parseFlatKeyed('user 2827\nsystem 1501\n'), { user: 2827, system: 1501 });
  assert.equal(parseFlatKeyed('hierarchical_memory_limit 9223372036854771712')['hierarchical_memory_limit'], 9223372036854771712);
});

test('single values: numbers, and max as unlimited', () => {
  assert.equal(parseSingleValue('43287374026\n'), 43287374026);
  assert.equal(parseSingleValue('max\n'), undefined);
  assert.equal(parseSingleValue(''), undefined);
  assert.deepEqual(parseNumberList('16483781668 26803592358 \n'), [16483781668, 26803592358]);
});

test('system CPU ticks sum the first seven fields of the cpu line', () => {
  const stat = 'cpu  2707 0 1400 72516 289 0 36 10 0 0\ncpu0 1042 0 512 36892 20 0 6 2 0 0\n';
  assert.equal(parseProcStatTicks(stat), 2707 + 1400 + 72516 + 289 + 36);
  assert.equal(parseProcStatTicks('intr 1 2'), undefined);
});

test('v1 blkio lines keep their op and skip the Total line', () => {
  const text = '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n';
  const e = parseV1Blkio(text);
  assert.equal(e.length, 6);
  assert.deepEqual(e[1], { major: 8, minor: 0, op: 'Write', value: 8192 });
  assert.deepEqual(parseV1Blkio('Total 0\n'), []);
});

test('v2 io.stat gives per-device key=value counters', () => {
  const d = parseV2IoStat('259:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n');
  assert.deepEqual(d, [{ major: 259, minor: 0, fields: { rbytes: 1024, wbytes: 2048, rios: 1, wios: 2, dbytes: 0, dios: 0 } }]);
});

test('net/dev gives rx and tx counters per interface', () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0
  eth0:    1562      19    1    2    0     0          0         0      936      12    3    4    0     0       0          0
`;
  const m = parseNetDev(text);
  assert.deepEqual([...m.keys()], ['lo', 'eth0']);
  assert.deepEqual(m.get('eth0'), {
    rx_bytes: 1562, rx_packets: 19, rx_errors: 1, rx_dropped: 2, tx_bytes: 936, tx_packets: 12, tx_errors: 3, tx_dropped: 4,
  });
});

test('meminfo total is in bytes', () => {
  assert.equal(parseMemTotal('MemTotal:       24684084 kB\nMemFree: 1 kB\n'), 24684084 * 1024);
});

test('oom_kill counts come from oom_control (v1) and memory.events (v2)', () => {
  assert.equal(parseOomKillCount('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n'), 2);
  assert.equal(parseOomKillCount('low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n'), 1);
  assert.equal(parseOomKillCount(''), 0);
});
