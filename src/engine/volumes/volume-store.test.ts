import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VolumeStore } from './volume-store.ts';
import type { VolumeRecord } from './volume-record.ts';

const record = (name: string): VolumeRecord => ({ name, driver: 'local', createdAt: '2026-12-05T00:00:00Z', labels: null, options: null });

function tempStore(t: { after(fn: () => void): void }): { dir: string; store: () => VolumeStore } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'volume-store-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, 'volumes');
  return { dir, store: () => new VolumeStore(dir) };
}

test('a created volume has its record and _data together, and survives a reload', async (t) => {
  const { dir, store } = tempStore(t);
  const s = store();
  await s.load();
  await s.create({ ...record('v1'), labels: { a: 'b' } });
  assert.deepEqual(readdirSync(path.join(dir, 'v1')).sort(), ['_data', 'volume.json']);
  const again = store();
  await again.load();
  assert.deepEqual(again.get('v1'), { ...record('v1'), labels: { a: 'b' } });
  await again.remove('v1');
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(again.get('v1'), undefined);
});

test('load sweeps staging and trash leftovers of a crash, and never a volume directory', async (t) => {
  const { dir, store } = tempStore(t);
  const s = store();
  await s.load();
  await s.create(record('kept'));
  writeFileSync(path.join(dir, 'kept', '_data', 'f'), 'x');
  // What a kill -9 leaves: a half-built staging directory, a trashed volume, a torn record's temp file.
  mkdirSync(path.join(dir, '.staging-0011', '_data'), { recursive: true });
  writeFileSync(path.join(dir, '.staging-0011', 'volume.json'), JSON.stringify(record('half')));
  mkdirSync(path.join(dir, '.trash-2233', '_data'), { recursive: true });
  writeFileSync(path.join(dir, '.trash-2233', '_data', 'big'), 'data');
  // A directory with no valid record is not ours to delete, nor listed.
  mkdirSync(path.join(dir, 'stranger', '_data'), { recursive: true });
  mkdirSync(path.join(dir, 'torn'));
  writeFileSync(path.join(dir, 'torn', 'volume.json'), '{"name":');
  mkdirSync(path.join(dir, 'misnamed'));
  writeFileSync(path.join(dir, 'misnamed', 'volume.json'), JSON.stringify(record('other')));

  const after = store();
  await after.load();
  assert.deepEqual(after.all().map((r) => r.name), ['kept']);
  assert.deepEqual(readdirSync(dir).sort(), ['kept', 'misnamed', 'stranger', 'torn']);
  assert.ok(existsSync(path.join(dir, 'kept', '_data', 'f')));
  await assert.rejects(after.create(record('stranger')), /already exists and holds no volume record/);
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.')), [], 'a failed create leaves no staging directory');
});
