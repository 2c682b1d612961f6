/**
 * One `berth build`: the request sent with its context streaming up, the
 * reply's JSON stream shown in the chosen mode, the image ID returned.
 *
 * - plain: the docker CLI's legacy output byte for byte: `Sending build
 *   context to Docker daemon  N` once the context is sent, then each
 *   message as its jsonmessage display prints it; an `error` line ends the
 *   build with that message on stderr and its code (1 when none).
 * - quiet: everything kept in memory; on success only what the daemon
 *   printed (the ID), on failure all of it on stderr before the error.
 * - tty: Berth's live display (build-display.ts).
 */
import { Transform } from 'node:stream';
import type { Cli } from '../cli.ts';
import { imageBuild, type ImageBuildQuery } from '../../client/build.ts';
import { ApiError } from '../../client/errors.ts';
import { readJsonLines } from '../../client/json-stream.ts';
import { StatusError, describeError } from '../errors.ts';
import { ProgressRenderer } from '../format/progress.ts';
import { humanSize } from '../format/units.ts';
import { BuildView, TtyDisplay } from './build-display.ts';

export type ProgressMode = 'plain' | 'tty' | 'quiet';

export interface BuildRequest {
  query: ImageBuildQuery;
  body: NodeJS.ReadableStream | undefined;
  headers: Record<string, string>;
  mode: ProgressMode;
}

const SENDING = 'Sending build context to Docker daemon';

/** The context as it goes up, counted; `onEnd` when the last byte has been read. */
function counted(body: NodeJS.ReadableStream, onBytes: (n: number) => void, onEnd: (n: number) => void): Transform {
  let n = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      onBytes(n);
      cb(null, chunk);
    },
    flush(cb) {
      onEnd(n);
      cb();
    },
  });
  body.on('error', (err: Error) => t.destroy(err));
  return body.pipe(t);
}

/**
 * A context that fails while being read (a file gone or changed under the
 * walk) aborts the request, and its error is the one reported: the daemon
 * would otherwise wait for the rest of a body that never comes.
 */
function guard(body: NodeJS.ReadableStream | undefined): { signal: AbortSignal; failure(err: unknown): unknown } {
  const ac = new AbortController();
  let error: Error | undefined;
  body?.on('error', (err: Error) => {
    error ??= err;
    ac.abort();
  });
  return { signal: ac.signal, failure: (err) => error ?? err };
}

/** Runs the build; resolves with the image ID (as the docker CLI would write it to --iidfile), throws StatusError on a failed build. */
export async function runBuild(cli: Cli, req: BuildRequest): Promise<string> {
  if (req.mode === 'tty') return runTty(cli, req);
  const quiet = req.mode === 'quiet';
  const out = cli.out;
  const terminal = !quiet && Boolean(out.isTTY);
  let progBuf = '';
  const writeProg = (s: string) => (quiet ? (progBuf += s) : out.write(s));
  let body = req.body;
  if (body) {
    let last = 0;
    body = counted(
      body,
      (n) => {
        // A terminal sees the count move (at most every 100 ms); elsewhere only the last update.
        const now = Date.now();
        if (!terminal || now - last < 100) return;
        last = now;
        writeProg(`${SENDING} ${humanSize(n).padStart(8)}\r`);
      },
      (n) => writeProg(`${SENDING} ${humanSize(n).padStart(8)}\r\r\n`),
    );
  }
  const g = guard(body);
  let res;
  try {
    res = await imageBuild(cli.api(), req.query, body, req.headers, g.signal);
  } catch (err) {
    if (quiet) cli.err.write(progBuf);
    throw g.failure(err);
  }
  let imageId = '';
  let buildBuf = '';
  const renderer = new ProgressRenderer({
    terminal,
    columns: out.columns,
    onAux: (aux) => {
      const id = (aux as { ID?: unknown } | null)?.ID;
      if (typeof id === 'string') imageId = id;
    },
  });
  try {
    for await (const msg of readJsonLines(res)) {
      if (msg.error !== undefined || msg.errorDetail !== undefined) {
        if (quiet) cli.err.write(progBuf + buildBuf);
        throw new StatusError(msg.errorDetail?.message ?? msg.error ?? '', msg.errorDetail?.code || 1);
      }
      const text = renderer.render(msg);
      if (!text) continue;
      if (quiet) buildBuf += text;
      else out.write(text);
    }
  } catch (err) {
    throw g.failure(err);
  }
  if (quiet) {
    out.write(buildBuf);
    return buildBuf;
  }
  return imageId;
}

async function runTty(cli: Cli, req: BuildRequest): Promise<string> {
  const view = new BuildView(Date.now());
  const display = new TtyDisplay(view, cli.out);
  const restore = () => {
    cli.out.write('\x1b[?25h\n');
    process.exit(130);
  };
  process.once('SIGINT', restore);
  display.start();
  let body = req.body;
  if (body) {
    body = counted(
      body,
      (n) => (view.contextBytes = n),
      (n) => {
        view.contextBytes = n;
        view.contextDone = true;
      },
    );
  }
  const g = guard(body);
  try {
    const res = await imageBuild(cli.api(), req.query, body, req.headers, g.signal);
    for await (const msg of readJsonLines(res)) {
      display.feed(msg);
      if (msg.error !== undefined || msg.errorDetail !== undefined) {
        display.stop();
        throw new StatusError(msg.errorDetail?.message ?? msg.error ?? '', msg.errorDetail?.code || 1);
      }
    }
    view.finish(Date.now());
    display.stop();
    return view.id ?? '';
  } catch (caught) {
    const err = g.failure(caught);
    if (!(err instanceof StatusError)) {
      view.fail(err instanceof ApiError ? describeError(err) : String((err as Error).message ?? err), Date.now());
      display.stop();
    }
    throw err;
  } finally {
    process.off('SIGINT', restore);
  }
}
