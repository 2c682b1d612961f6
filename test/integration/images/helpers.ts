/** Helpers shared by the image/layer store tests: temp roots and tar building. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { rawPaxHeader } from '../../../src/store/layers/tar-tap.ts';

export interface TestContext {
  after: (fn: () => Promise<void> | void) => void;
  skip: (message?: string) => void;
}

export async function tempDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `berth-${prefix}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Skip unless root (CI=true turns the skip into a failure, per STYLE.md). */
export function requireRoot(t: TestContext): boolean {
  if (process.getuid?.() === 0) return true;
  if (process.env['CI'] === 'true') throw new Error('this test needs root');
  t.skip('needs root');
  return false;
}

export type TarSpec = Partial<tar.Header> & { name: string; body?: string | Buffer; rawPax?: Record<string, Buffer> /* xattr name → value */ };

/** A tar (as a Buffer) of the given entries, in order. */
export async function buildTar(entries: TarSpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = (async () => {
    const parts: Buffer[] = [];
    for await (const c of pack) parts.push(c as Buffer);
    return Buffer.concat(parts);
  })();
  const mtime = new Date('2020-01-02T03:04:05Z');
  for (const { body, rawPax, ...header } of entries) {
    if (rawPax) pack.push(rawPaxHeader(new Map(Object.entries(rawPax)), mtime));
    await new Promise<void>((res, rej) => {
      const cb = (e?: Error | null): void => (e ? rej(e) : res());
      const h = { mtime, uid: 0, gid: 0, ...header };
      if (h.type === undefined || h.type === 'file') pack.entry(h, body ?? Buffer.alloc(0), cb);
      else pack.entry(h, cb);
    });
  }
  pack.finalize();
  return done;
}

export function streamOf(buf: Buffer): Readable {
  return Readable.from([buf]);
}
