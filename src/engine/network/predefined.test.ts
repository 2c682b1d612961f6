import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRouteTable } from './predefined.ts';

test("/proc/net/route becomes CIDRs, the default route and a named device's routes left out", () => {
  const table = [
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
    'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
    'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
    'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
    'br-02822b9ddff7\t0000A8C0\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0',
    'berth0\t00D50A0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  ].join('\n');
  assert.deepEqual(parseRouteTable(table, 'berth0'), ['172.17.0.0/16', '192.0.2.0/24', '192.168.0.0/20']);
});
