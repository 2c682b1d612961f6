import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goList, goQuote, goQuoteHealthcheck, goQuoteList, goQuoteRune } from './go-format.ts';
import { formatGoDuration, parseGoDuration } from '../../util/duration.ts';

test('%q and %v of strings and slices, as Go prints them', () => {
  assert.equal(goQuote('a "b" \\ c\n\t'), '"a \\"b\\" \\\\ c\\n\\t"');
  assert.equal(goQuote('é\x01'), '"é\\x01"');
  assert.equal(goQuoteList(['/bin/sh', '-c', 'echo "hi"']), '["/bin/sh" "-c" "echo \\"hi\\""]');
  assert.equal(goList(['/bin/sh', '-xc']), '[/bin/sh -xc]');
  assert.equal(goQuoteRune(2), "'\\x02'");
  assert.equal(goQuoteRune(65), "'A'");
  assert.equal(goQuoteRune(0), "'\\x00'");
});

test('durations parse and print as time.Duration does', () => {
  for (const [text, ns, printed] of [
    ['5s', 5e9, '5s'],
    ['1m', 60e9, '1m0s'],
    ['1h30m', 5400e9, '1h30m0s'],
    ['1.5s', 1.5e9, '1.5s'],
    ['500ms', 5e8, '500ms'],
    ['1500us', 1.5e6, '1.5ms'],
    ['2ns', 2, '2ns'],
    ['0', 0, '0s'],
  ] as const) {
    assert.equal(parseGoDuration(text), ns, text);
    assert.equal(formatGoDuration(ns), printed, text);
  }
  assert.throws(() => parseGoDuration('5'), /missing unit in duration "5"/);
  assert.throws(() => parseGoDuration('x'), /invalid duration "x"/);
  assert.throws(() => parseGoDuration('5y'), /unknown unit "y" in duration "5y"/);
});

test('a HealthConfig is written as dockerd 20.10\'s %q', () => {
  assert.equal(goQuoteHealthcheck({ Test: ['CMD-SHELL', 'true'], Interval: 5e9, Retries: 2 }), '&{["CMD-SHELL" "true"] "5s" "0s" "0s" \'\\x02\'}');
  assert.equal(goQuoteHealthcheck({ Test: ['NONE'] }), '&{["NONE"] "0s" "0s" "0s" \'\\x00\'}');
});
