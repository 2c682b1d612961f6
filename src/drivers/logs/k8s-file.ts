/**
 * Reads a container's log as conmon writes it (CRI k8s-file, see
 * k8s-record.ts) and yields Docker log entries: partial chunks joined into
 * whole lines, filtered by stream and time, optionally the last N only, and
 * optionally following the file as it grows.
 *
 * Lifecycle of a follow: read to the end; wait for the file to change
 * (fs.watch, no polling), for `stopped` (the container exited: conmon wrote
 * its last bytes) or for `signal`; after `stopped`, drain what is left, flush a
 * dangling partial line and end. A file that does not exist yet is waited for
 * (follow) or yields nothing.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../../util/errors.ts';
import { parseK8sRecord, type K8sRecord } from './k8s-record.ts';
import { tailOffset } from './tail.ts';

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** RFC3339Nano as Docker prints it: UTC, 9 fraction digits. */
  time: string;
  /** Unix seconds, fractional. */
  timestamp: number;
  /** The output, with its trailing newline when the entry was a whole line. */
  line: Buffer;
}

export interface ReadLogsOptions {
  stdout: boolean;
  stderr: boolean;
  /** Only entries at or after this time (unix seconds, fractional). */
  since?: number;
  /** Stop at the first entry after this time (unix seconds, fractional). */
  until?: number;
  /** Only the last N entries (counted before filters); 'all' or negative: everything. */
  tail?: number | 'all';
  /** Start reading at this byte offset (the log's size when an attach began); wins over `tail`. */
  offset?: number;
  follow: boolean;
  signal: AbortSignal;
  /** Resolves when the container has exited; a follow then drains the file and ends. */
  stopped?: Promise<unknown>;
}

const CHUNK = 64 * 1024;

export async function* readLogs(file: string, options: ReadLogsOptions): AsyncGenerator<LogEntry> {
  const wake = new Waker();
  let stopping = false;
  const onAbort = () => wake.notify();
  options.signal.addEventListener('abort', onAbort);
  options.stopped?.then(
    () => {
      stopping = true;
      wake.notify();
    },
    () => {
      stopping = true;
      wake.notify();
    },
  );
  let untilTimer: NodeJS.Timeout | undefined;
  let untilPassed = false;
  if (options.follow && options.until !== undefined) {
    // A follow with --until ends once that time has come, even when the log is quiet.
    untilTimer = setTimeout(() => {
      untilPassed = true;
      wake.notify();
    }, Math.max(0, options.until * 1000 - Date.now()));
  }
  let watcher: FSWatcher | undefined;
  let fh: FileHandle | undefined;
  try {
    if (options.follow) watcher = watchFor(file, () => wake.notify());
    fh = await openIfExists(file);
    while (!fh) {
      if (!options.follow) return;
      if (options.signal.aborted || untilPassed) return;
      const last = stopping;
      await wake.wait();
      fh = await openIfExists(file);
      if (!fh && last) return;
    }
    const tail = options.tail === undefined || options.tail === 'all' || options.tail < 0 ? undefined : options.tail;
    const size = (await fh.stat()).size;
    // An offset past the end means the file was replaced since it was taken: read it all.
    const start = options.offset !== undefined ? (options.offset <= size ? options.offset : 0) : tail === undefined ? 0 : await tailOffset(fh, size, tail);
    let records = new RecordReader(fh, start);
    const joiner = new Joiner();
    const want = (e: LogEntry) =>
      (e.stream === 'stdout' ? options.stdout : options.stderr) && (options.since === undefined || e.timestamp >= options.since);
    const pastUntil = (e: LogEntry) => options.until !== undefined && e.timestamp > options.until;
    for (;;) {
      const drainAfterStop = stopping;
      for (const rec of await records.readAvailable()) {
        const entry = joiner.push(rec);
        if (!entry) continue;
        if (pastUntil(entry)) return;
        if (want(entry)) yield entry;
        if (options.signal.aborted) return;
      }
      // Records can arrive in several reads; keep reading until a read finds nothing.
      if (records.progressed) continue;
      // A log that reached its max-size was replaced by an empty file: go on from there.
      if (options.follow) {
        const next = await openIfReplaced(file, fh);
        if (next) {
          await fh.close();
          fh = next;
          records = new RecordReader(fh, 0);
          continue;
        }
      }
      if (!options.follow || drainAfterStop || options.signal.aborted || untilPassed) {
        if (!options.follow || drainAfterStop) {
          for (const entry of joiner.flush()) {
            if (pastUntil(entry)) return;
            if (want(entry)) yield entry;
          }
        }
        return;
      }
      await wake.wait();
    }
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    if (untilTimer) clearTimeout(untilTimer);
    watcher?.close();
    await fh?.close();
  }
}

async function openIfExists(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, 'r');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** The file now at `file`, when it is no longer the one `fh` has open. */
async function openIfReplaced(file: string, fh: FileHandle): Promise<FileHandle | undefined> {
  const [now, mine] = await Promise.all([stat(file).catch(() => undefined), fh.stat()]);
  if (!now || (now.ino === mine.ino && now.dev === mine.dev)) return undefined;
  return openIfExists(file);
}

/** Watch the log's directory: it sees the file appear as well as grow. */
function watchFor(file: string, onChange: () => void): FSWatcher | undefined {
  const base = path.basename(file);
  try {
    const w = watch(path.dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name.toString() === base) onChange();
    });
    // A watcher error (directory removed with the container) ends waiting, not the reader.
    w.on('error', onChange);
    return w;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** A one-slot wake-up: a notify before wait() is not lost. */
class Waker {
  private pending = false;
  private resolve: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    const r = this.resolve;
    this.resolve = undefined;
    r?.();
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.resolve = () => {
        this.pending = false;
        resolve();
      };
    });
  }
}

/** Reads whole records from a position on; a record still being written stays buffered. */
class RecordReader {
  private carry: Buffer = Buffer.alloc(0);
  private readonly buf = Buffer.alloc(CHUNK);
  progressed = false;

  constructor(
    private readonly fh: FileHandle,
    private position: number,
  ) {}

  /** The complete records in the next chunk of the file (empty at its end). */
  async readAvailable(): Promise<K8sRecord[]> {
    const { bytesRead } = await this.fh.read(this.buf, 0, CHUNK, this.position);
    this.progressed = bytesRead > 0;
    if (bytesRead === 0) return [];
    this.position += bytesRead;
    const data = this.carry.length ? Buffer.concat([this.carry, this.buf.subarray(0, bytesRead)]) : this.buf.subarray(0, bytesRead);
    const records: K8sRecord[] = [];
    let from = 0;
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, from)) {
      const rec = parseK8sRecord(data.subarray(from, nl));
      if (rec) records.push({ ...rec, content: Buffer.from(rec.content) });
      from = nl + 1;
    }
    this.carry = Buffer.from(data.subarray(from));
    return records;
  }
}

/** Joins P chunks (per stream) with the F record that ends them; the entry keeps the first chunk's time. */
class Joiner {
  private readonly open = new Map<'stdout' | 'stderr', { first: K8sRecord; parts: Buffer[] }>();

  push(rec: K8sRecord): LogEntry | undefined {
    const pending = this.open.get(rec.stream);
    if (rec.partial) {
      if (pending) pending.parts.push(rec.content);
      else this.open.set(rec.stream, { first: rec, parts: [rec.content] });
      return undefined;
    }
    const first = pending?.first ?? rec;
    this.open.delete(rec.stream);
    const line = Buffer.concat([...(pending?.parts ?? []), rec.content, NEWLINE]);
    return { stream: rec.stream, time: first.time, timestamp: first.timestamp, line };
  }

  /** Partial lines left open when the output ended (no newline at the end). */
  flush(): LogEntry[] {
    const out = [...this.open.values()].map(({ first, parts }) => ({
      stream: first.stream,
      time: first.time,
      timestamp: first.timestamp,
      line: Buffer.concat(parts),
    }));
    this.open.clear();
    return out.sort((a, b) => a.timestamp - b.timestamp);
  }
}

const NEWLINE = Buffer.from('\n');
