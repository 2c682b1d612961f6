import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePsOutput, validatePsArgs } from './top.ts';

const EF = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 10:00 ?        00:00:01 /sbin/init splash
root        4242    4200  0 10:01 ?        00:00:00 sleep 300
root        4243    4242  0 10:01 pts/0    00:00:00 sh -c echo  two  spaces
`;

test('rows are filtered to the container PIDs and the command keeps its words', () => {
  const r = parsePsOutput(EF, [4242, 4243]);
  assert.deepEqual(r.Titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
  assert.deepEqual(r.Processes, [
    ['root', '4242', '4200', '0', '10:01', '?', '00:00:00', 'sleep 300'],
    ['root', '4243', '4242', '0', '10:01', 'pts/0', '00:00:00', 'sh -c echo two spaces'],
  ]);
});

test('thread rows follow the process they belong to', () => {
  const out = `USER PID TID CMD
root 1 - init
root - 1 -
root 7 - app
root - 7 -
root - 8 -
`;
  assert.deepEqual(parsePsOutput(out, [7]).Processes, [
    ['root', '7', '-', 'app'],
    ['root', '-', '7', '-'],
    ['root', '-', '8', '-'],
  ]);
});

test('output without a PID column is an error in Docker words', () => {
  assert.throws(() => parsePsOutput('USER COMMAND\nroot sh\n', [1]), { message: "Couldn't find PID field in ps output" });
  assert.throws(() => parsePsOutput('PID CMD\nabc sh\n', [1]), /Unexpected pid 'abc'/);
});

test('renaming another column to PID is refused', () => {
  assert.throws(() => validatePsArgs('-o user=PID'), { message: 'specifying "user=PID" is not allowed' });
  validatePsArgs('-o pid=PID');
  validatePsArgs('aux');
});
