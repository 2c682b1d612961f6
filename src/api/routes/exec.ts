/** Exec routes: create, start (hijacked unless detached), inspect, resize. */
import { routesOver, type RouteContext, type Router } from '../router.ts';
import { queryInt } from '../query.ts';
import type { ExecConfig, ExecStartConfig } from '../../wire/exec.ts';
import { pipeAttach } from '../streams/attach.ts';
import { asError, InvalidParameterError } from '../../util/errors.ts';
import { encodeFrame } from '../../util/stdcopy.ts';
import type { ExecService } from '../../engine/exec/exec-service.ts';
import type { ContainerQueries } from '../../engine/containers/container-queries.ts';

/** What the exec routes need of the engine: the exec service's verbs, an attached exec's output, and inspect. */
export type ExecBackend = Pick<ExecService, 'create' | 'get' | 'start' | 'resize' | 'discardOutput' | 'detach' | 'detachSequence'> &
  Pick<ContainerQueries, 'execOutput'> & {
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
  const body = await ctx.bodyJson<ExecConfig>();
  if (body.Cmd !== undefined && !Array.isArray(body.Cmd)) {
    throw new InvalidParameterError('json: cannot unmarshal string into Go struct field ExecConfig.Cmd of type []string');
  }
  const created = b.create(ctx.params.id!, body);
  ctx.json(201, created);
  return undefined;
}

async function execStart(ctx: RouteContext, b: Backend): Promise<unknown> {
  const body = await ctx.bodyJson<ExecStartConfig>();
  const exec = b.get(ctx.params.id!);
  if (body.Detach) {
    const started = await b.start(exec.id, { attach: false });
    void started.exit.catch(() => undefined);
    // dockerd answers a detached start with an empty body.
    ctx.noContent(200);
    return undefined;
  }
  // As dockerd does, the connection is taken over first; a start that fails
  // then says why on the stream's stdout, and the exec's exit code is 126.
  const socket = ctx.hijack(body.Tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
  let started: Awaited<ReturnType<typeof b.start>>;
  try {
    started = await b.start(exec.id, { attach: true });
  } catch (err) {
    const text = Buffer.from(`${asError(err).message}\r\n`);
    socket.end(body.Tty ? text : encodeFrame(1, text));
    return undefined;
  }
  if (!started.streams) {
    await started.exit;
    socket.end();
    return undefined;
  }
  if (body.ConsoleSize && body.Tty) {
    const [h, w] = body.ConsoleSize;
    await b.resize(exec.id, h, w).catch(() => undefined);
  }
  const want = {
    stdin: Boolean(exec.config.AttachStdin),
    stdout: exec.config.AttachStdout !== false,
    stderr: exec.config.AttachStderr !== false,
    // Framing follows the start request, detach keys the exec's own TTY (dockerd's rules).
    tty: Boolean(body.Tty),
    detachKeys: b.detachSequence(exec),
  };
  const abort = new AbortController();
  const output = started.logPath
    ? b.execOutput(started.logPath, started.exit, { stdout: want.stdout, stderr: want.stderr, signal: abort.signal })
    : undefined;
  const onDetach = () => b.detach(exec.id);
  await pipeAttach(socket, want, { output, streams: Promise.resolve(started.streams), before: started.exit, abort, onDetach });
  if (started.logPath) await b.discardOutput(started.logPath);
  return undefined;
}

async function execResize(ctx: RouteContext, b: Backend): Promise<unknown> {
  await b.resize(ctx.params.id!, queryInt(ctx.query, 'h') ?? 0, queryInt(ctx.query, 'w') ?? 0);
  return undefined;
}

async function execInspect(ctx: RouteContext, b: Backend): Promise<unknown> {
  return b.inspect(ctx.params.id!);
}
