/** Exec routes: create, start (hijacked unless detached), inspect, resize. */
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { queryInt } from '../query.ts';
import type { ExecConfig, ExecStartConfig } from '../../wire/exec.ts';
import { pipeAttach } from '../streams/attach.ts';
import { asError } from '../../util/errors.ts';
import { encodeFrame } from '../../util/stdcopy.ts';
import type { ExecService } from '../../engine/exec/exec-service.ts';
import type { ExecSession, ExecSessionOptions } from '../../engine/exec/exec-session.ts';

/** What the exec routes need of the engine: the exec service's verbs, an attached exec's output, and inspect. */
export type ExecBackend = Pick<ExecService, 'create' | 'get' | 'resize'> & {
  /** Start without attaching (`Detach: true`). */
  startDetached(id: string): Promise<void>;
  /** Start attached: the session the stream carries. */
  startAttached(id: string, options: ExecSessionOptions): Promise<ExecSession>;
  /** `GET /exec/{id}/json`. */
  inspect(id: string): ReturnType<ExecService['toWire']>;
};

type Backend = ExecBackend;

export function registerExecRoutes(router: Router, backend: ExecBackend): void {
  const add = routesOver(router, backend);
  add('POST', '/containers/{id}/exec', containerExec);
  add('POST', '/exec/{id}/start', execStart);
  add('POST', '/exec/{id}/resize', execResize);
  add('GET', '/exec/{id}/json', execInspect);
}

async function containerExec(ctx: RouteContext, b: Backend): Promise<unknown> {
  const body = await ctx.bodyJson<ExecConfig>('ContainerExec');
  const created = b.create(ctx.params.id!, body);
  ctx.json(201, created);
  return undefined;
}

async function execStart(ctx: RouteContext, b: Backend): Promise<unknown> {
  const body = await ctx.bodyJson<ExecStartConfig>('ExecStart');
  if (body.Detach) {
    await b.startDetached(ctx.params.id!);
    // dockerd answers a detached start with an empty body.
    ctx.noContent(200);
    return undefined;
  }
  b.get(ctx.params.id!); // an unknown exec is a plain 404, before the connection is taken over
  // As dockerd does, the connection is taken over first; a start that fails
  // then says why on the stream's stdout, and the exec's exit code is 126.
  // Framing follows the start request; the TTY and detach keys are the exec's own.
  const socket = ctx.hijack(body.Tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
  const abort = new AbortController();
  let session: ExecSession;
  try {
    session = await b.startAttached(ctx.params.id!, { consoleSize: body.ConsoleSize, signal: abort.signal });
  } catch (err) {
    const text = Buffer.from(`${asError(err).message}\r\n`);
    socket.end(body.Tty ? text : encodeFrame(1, text));
    return undefined;
  }
  if (!session.streams) {
    await session.exit;
    socket.end();
    return undefined;
  }
  const want = { stdin: session.stdin, stdout: session.stdout, stderr: session.stderr, tty: Boolean(body.Tty), detachKeys: session.detachKeys };
  await pipeAttach(socket, want, { output: session.output, streams: Promise.resolve(session.streams), before: session.exit, abort, onDetach: session.detach });
  await session.close();
  return undefined;
}

async function execResize(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.resize(ctx.params.id!, queryInt(ctx.query, 'h', 400) ?? 0, queryInt(ctx.query, 'w', 400) ?? 0);
  return undefined;
}

async function execInspect(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.inspect(ctx.params.id!);
}
