import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a build script in plain JavaScript, without types
import { generateValidator, VALIDATOR_FILE } from '../../../scripts/gen-compose-validator.mjs';

test('the committed validator is what scripts/gen-compose-validator.mjs makes of compose-spec.json now', () => {
  assert.ok((readFileSync(VALIDATOR_FILE, 'utf8') as string) === (generateValidator() as string), 'run: node scripts/gen-compose-validator.mjs');
});
