/**
 * `berth registry gc`: mark and sweep over a registry root (run it while no
 * push is under way, as distribution's garbage-collect: a blob pushed for a
 * manifest not yet put is unreferenced until then).
 *
 * Mark: every manifest linked in any repository, and the config and layers
 * it names (an index's entries are manifests of the repository, marked on
 * their own). Sweep: blobs not marked; layer links and referrer entries
 * whose blob is gone; uploads idle for longer than `uploadMaxAgeMs`; leftover
 * temp files of interrupted writes.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sweepTemp } from '../../store/records.ts';
import { log } from '../../util/log.ts';
import { RegistryStorage } from './registry-storage.ts';

export interface GcOptions {
  root: string;
  dryRun?: boolean;
  /** Uploads idle longer than this are removed (default 7 days; 0 removes every upload). */
  uploadMaxAgeMs?: number;
  now?: number;
}

export interface GcResult {
  marked: number;
  blobsRemoved: string[];
  bytesFreed: number;
  uploadsRemoved: string[];
  linksRemoved: number;
}

function referencedBlobs(manifest: unknown): string[] {
  if (!manifest || typeof manifest !== 'object') return [];
  const m = manifest as Record<string, unknown>;
  const out: string[] = [];
  const add = (d: unknown) => {
    const digest = d && typeof d === 'object' ? (d as Record<string, unknown>)['digest'] : undefined;
    if (typeof digest === 'string') out.push(digest);
  };
  add(m['config']);
  if (Array.isArray(m['layers'])) m['layers'].forEach(add);
  return out;
}

export async function registryGc(opts: GcOptions): Promise<GcResult> {
  const storage = new RegistryStorage(opts.root);
  const now = opts.now ?? Date.now();
  const maxAge = opts.uploadMaxAgeMs ?? 7 * 24 * 3600 * 1000;
  const marked = new Set<string>();
  const result: GcResult = { marked: 0, blobsRemoved: [], bytesFreed: 0, uploadsRemoved: [], linksRemoved: 0 };

  for (const repo of await storage.listRepositories()) {
    for (const digest of await storage.listRevisions(repo)) {
      let bytes: Buffer;
      try {
        bytes = await storage.readBlobBytes(digest);
      } catch {
        // a revision whose bytes are gone serves nothing: nothing to mark
        continue;
      }
      marked.add(digest);
      try {
        for (const b of referencedBlobs(JSON.parse(bytes.toString('utf8')))) marked.add(b);
      } catch {
        // not JSON (it was validated on push): nothing more to mark
      }
    }
  }
  result.marked = marked.size;

  for (const digest of await storage.listBlobs()) {
    if (marked.has(digest)) continue;
    const size = (await storage.globalBlobSize(digest)) ?? 0;
    result.blobsRemoved.push(digest);
    result.bytesFreed += size;
    if (!opts.dryRun) await fs.rm(storage.blobPath(digest), { force: true });
    log.info('registry gc: blob removed', { digest, size });
  }
  if (!opts.dryRun) {
    for (const repo of await storage.listRepositories()) {
      for (const digest of await storage.listLayerLinks(repo)) {
        if ((await storage.globalBlobSize(digest)) === undefined) {
          await storage.unlinkBlob(repo, digest);
          result.linksRemoved++;
        }
      }
    }
    await sweepTemp(path.join(opts.root, 'blobs', 'sha256'));
    for (const repo of await storage.listRepositories()) for (const dir of await storage.linkDirs(repo)) await sweepTemp(dir);
  }
  for (const u of await storage.uploads.list()) {
    if (now - u.mtimeMs < maxAge) continue;
    result.uploadsRemoved.push(u.id);
    if (!opts.dryRun) await storage.uploads.delete(u.id);
  }
  return result;
}
