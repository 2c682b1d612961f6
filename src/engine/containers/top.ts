/**
 * `docker top`: the host's `ps` (procps), run with the user's ps_args
 * (default "-ef") and narrowed to the container's PIDs, as moby's
 * daemon/top_unix.go does: ask ps for just those PIDs with `-q`, and when an
 * option refuses `-q` run it over all processes and filter rows by the PID
 * column. Thread rows (PID "-", from the `m` option) follow the process row
 * they belong to. Every error is a 500 with Docker's wording (as 20.10 sends).
 *
 * The caller checks that the container runs (Docker's 409 "is not running")
 * and gets the PIDs from the runtime (`runc ps`).
 */
import { execFile, ExecFailedError } from '../../drivers/exec-file.ts';
import { SystemError } from '../../util/errors.ts';

export interface TopResult {
  Titles: string[];
  Processes: string[][];
}

export interface TopOptions {
  /** ps_args as given; "" or undefined means "-ef". */
  psArgs?: string;
  /** The ps binary (procps); resolved through PATH by default. */
  ps?: string;
  signal?: AbortSignal;
}

export async function containerTop(pids: readonly number[], options: TopOptions = {}): Promise<TopResult> {
  const psArgs = options.psArgs || '-ef';
  validatePsArgs(psArgs);
  // Split on single spaces like Docker, so "a  b" passes an empty argument as it would.
  const args = psArgs.split(' ');
  const ps = options.ps ?? 'ps';
  const run = (argv: string[]) => execFile(ps, argv, { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: 30_000 });
  let stdout: string;
  try {
    stdout = (await run([...args, '-q' + pids.join(',')])).stdout;
  } catch {
    try {
      stdout = (await run(args)).stdout;
    } catch (err) {
      const first = err instanceof ExecFailedError ? err.stderr.split('\n')[0] : '';
      throw new SystemError(`ps: ${first || (err as Error).message}`, { cause: err });
    }
  }
  return parsePsOutput(stdout, pids);
}

/** `-o user=PID` would rename a column to PID and fool the filter; only `pid=…` may. */
export function validatePsArgs(psArgs: string): void {
  for (const m of psArgs.matchAll(/\s+(\S*)=\s*(PID\S*)/g)) {
    if (m[1] !== 'pid') throw new SystemError(`specifying "${m[1]}=${m[2]}" is not allowed`);
  }
}

/** ASCII whitespace only, as Docker splits (a non-ASCII space can be part of a command). */
function fields(line: string): string[] {
  return line.split(/[\t\n\f\r ]+/).filter((f) => f !== '');
}

export function parsePsOutput(output: string, pids: readonly number[]): TopResult {
  const lines = output.split('\n');
  const titles = fields(lines[0] ?? '');
  const pidIndex = titles.indexOf('PID');
  if (pidIndex < 0) throw new SystemError("Couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const processes: string[][] = [];
  // Thread rows ("-" as PID) belong to the last process row above them.
  let inContainer = false;
  const add = (f: string[]) => {
    // The last column (the command) keeps its spaces: extra fields join into it.
    const row = f.slice(0, titles.length - 1);
    row.push(f.slice(titles.length - 1).join(' '));
    processes.push(row);
  };
  for (const line of lines.slice(1)) {
    if (line.length === 0) continue;
    const f = fields(line);
    const pidField = f[pidIndex];
    if (pidField === '-') {
      if (inContainer) add(f);
      continue;
    }
    const pid = Number(pidField);
    if (pidField === undefined || !/^[+-]?\d+$/.test(pidField)) {
      throw new SystemError(`Unexpected pid '${pidField ?? ''}': strconv.Atoi: parsing ${JSON.stringify(pidField ?? '')}: invalid syntax`);
    }
    inContainer = wanted.has(pid);
    if (inContainer) add(f);
  }
  return { Titles: titles, Processes: processes };
}
