/**
 * The instructions that change only the image config (ENV, LABEL,
 * MAINTAINER, CMD, ENTRYPOINT, HEALTHCHECK, EXPOSE, USER, VOLUME,
 * STOPSIGNAL, ARG, SHELL, ONBUILD): each updates the stage's run config as
 * dockerd's dispatchers do and answers the comment its history entry
 * carries (`ENV a=b` → created_by `/bin/sh -c #(nop)  ENV a=b`). Pure
 * (expansion is passed in).
 */
import path from 'node:path';
import type { ImageRunConfig } from '../../oci/image.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { CommandForm, Flag, Instruction } from './dockerfile/ast.ts';
import { goList, goQuoteHealthcheck, goQuoteList } from './go-format.ts';
import { parseGoDuration } from '../../util/duration.ts';
import { shellOf, type StageState } from './stage-state.ts';

export interface Expander {
  word(word: string): string;
  words(word: string): string[];
}

export type MetadataInstruction = Extract<Instruction, { kind: 'ENV' | 'LABEL' | 'MAINTAINER' | 'CMD' | 'ENTRYPOINT' | 'HEALTHCHECK' | 'EXPOSE' | 'USER' | 'VOLUME' | 'STOPSIGNAL' | 'ARG' | 'SHELL' | 'ONBUILD' }>;

const METADATA = new Set(['ENV', 'LABEL', 'MAINTAINER', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'EXPOSE', 'USER', 'VOLUME', 'STOPSIGNAL', 'ARG', 'SHELL', 'ONBUILD']);

export function isMetadata(ins: Instruction): ins is MetadataInstruction {
  return METADATA.has(ins.kind);
}

/** RUN/CMD/ENTRYPOINT argv: exec form as is, shell form behind the SHELL (resolveCmdLine on Linux). */
export function commandLine(form: CommandForm, c: ImageRunConfig): string[] {
  return form.form === 'exec' ? [...form.args] : [...shellOf(c), form.command];
}

function flag(flags: readonly Flag[], name: string): string | undefined {
  let v: string | undefined;
  for (const f of flags) if (f.name === name) v = f.value ?? 'true';
  return v;
}

const MIN_DURATION = 1e6; // container.MinimumDuration: 1ms

function interval(flags: readonly Flag[], name: string): number {
  const v = flag(flags, name);
  if (v === undefined || v === '') return 0;
  const d = parseGoDuration(v);
  // Zero means the default (Docker 24+, as the parser accepts it); anything else below 1ms is refused.
  if (d !== 0 && d < MIN_DURATION) throw new InvalidParameterError(`Interval ${JSON.stringify(name)} cannot be less than 1ms`);
  return d;
}

/** HEALTHCHECK's config (dockerd's parseHealthConfig): durations in nanoseconds, unset ones omitted. */
export function healthConfig(ins: Extract<Instruction, { kind: 'HEALTHCHECK' }>): NonNullable<ImageRunConfig['Healthcheck']> {
  if (ins.none || !ins.command) return { Test: ['NONE'] };
  const cmd = ins.command.form === 'exec' ? ['CMD', ...ins.command.args] : ['CMD-SHELL', ins.command.command];
  if (cmd.length < 2 || (ins.command.form === 'shell' && ins.command.command === '')) throw new InvalidParameterError('Missing command after HEALTHCHECK CMD');
  const out: Record<string, unknown> = { Test: cmd };
  const fields: [string, string][] = [['interval', 'Interval'], ['timeout', 'Timeout'], ['start-period', 'StartPeriod'], ['start-interval', 'StartInterval']];
  for (const [name, field] of fields) {
    const d = interval(ins.flags, name);
    if (d) out[field] = d;
  }
  const retries = flag(ins.flags, 'retries');
  if (retries !== undefined && retries !== '') {
    if (!/^[+-]?\d+$/.test(retries)) throw new InvalidParameterError(`strconv.ParseInt: parsing ${JSON.stringify(retries)}: invalid syntax`);
    const n = Number(retries);
    if (n < 0) throw new InvalidParameterError(`--retries cannot be negative (${n})`);
    if (n > 0) out['Retries'] = n;
  }
  return out;
}

/** EXPOSE's ports as dockerd records them: `80` → `80/tcp`, ranges expanded, protocols checked. */
export function exposedPorts(specs: readonly string[]): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    const parts = spec.split(':');
    const container = parts[parts.length - 1]!;
    const [portPart, protoPart] = container.split('/', 2) as [string, string | undefined];
    if (portPart === '') throw new InvalidParameterError(`no port specified: ${spec}<empty>`);
    const proto = (protoPart || 'tcp').toLowerCase();
    if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new InvalidParameterError(`invalid proto: ${proto}`);
    const m = /^(\d+)(?:-(\d+))?$/.exec(portPart);
    const start = m ? Number(m[1]) : NaN;
    const end = m?.[2] !== undefined ? Number(m[2]) : start;
    if (!m || start > 65535 || end > 65535 || end < start) throw new InvalidParameterError(`invalid containerPort: ${portPart}`);
    for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  }
  return out;
}

const SIGNALS = new Set(['ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF', 'PWR', 'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH', 'XCPU', 'XFSZ']);

function checkSignal(s: string): void {
  if (/^\d+$/.test(s)) {
    if (Number(s) === 0) throw new InvalidParameterError(`Invalid signal: ${s}`);
    return;
  }
  const name = s.toUpperCase().replace(/^SIG/, '');
  if (SIGNALS.has(name) || /^RTMIN(\+\d+)?$|^RTMAX(-\d+)?$/.test(name)) return;
  throw new InvalidParameterError(`Invalid signal: ${s}`);
}

/** WORKDIR's path against the current one (normalizeWorkdir): an absolute one as written, a relative one joined (and cleaned). */
export function normalizeWorkdir(current: string | undefined, requested: string): string {
  if (requested === '') throw new InvalidParameterError('cannot normalize nothing');
  if (path.posix.isAbsolute(requested)) return requested;
  const clean = path.posix.join('/', current || '', requested);
  return clean.length > 1 ? clean.replace(/\/+$/, '') : clean;
}

/**
 * Apply a metadata instruction to the state; answers the commit comment
 * and, for HEALTHCHECK, the note dockerd prints before it.
 */
export function applyMetadata(state: StageState, ins: MetadataInstruction, x: Expander): { comment: string; note?: string } {
  const c = state.runConfig;
  switch (ins.kind) {
    case 'ENV': {
      const parts: string[] = [];
      for (const pair of ins.pairs) {
        const key = x.word(pair.key);
        if (key === '') throw new InvalidParameterError('ENV names can not be blank');
        const v = `${key}=${x.word(pair.value)}`;
        parts.push(v);
        const env = c.Env ?? [];
        const i = env.findIndex((e) => e.split('=', 1)[0] === key);
        if (i >= 0) env[i] = v;
        else env.push(v);
        c.Env = env;
      }
      return { comment: `ENV ${parts.join(' ')}` };
    }
    case 'LABEL': {
      c.Labels = { ...(c.Labels ?? {}) };
      const parts: string[] = [];
      for (const pair of ins.pairs) {
        const key = x.word(pair.key);
        if (key === '') throw new InvalidParameterError('LABEL names can not be blank');
        const value = x.word(pair.value);
        c.Labels[key] = value;
        parts.push(`${key}=${value}`);
      }
      return { comment: `LABEL ${parts.join(' ')}` };
    }
    case 'MAINTAINER':
      state.maintainer = ins.maintainer;
      return { comment: `MAINTAINER ${ins.maintainer}` };
    case 'CMD': {
      const cmd = commandLine(ins.command, c);
      c.Cmd = cmd;
      delete c.ArgsEscaped;
      if (ins.command.form === 'shell' ? ins.command.command !== '' : ins.command.args.length > 0) state.cmdSet = true;
      return { comment: `CMD ${goQuoteList(cmd)}` };
    }
    case 'ENTRYPOINT': {
      const ep = commandLine(ins.command, c);
      c.Entrypoint = ep;
      delete c.ArgsEscaped;
      if (!state.cmdSet) c.Cmd = null;
      return { comment: `ENTRYPOINT ${goQuoteList(ep)}` };
    }
    case 'HEALTHCHECK': {
      const old = c.Healthcheck?.['Test'] as string[] | undefined;
      const note = old && old.length > 0 && old[0] !== 'NONE' ? `Note: overriding previous HEALTHCHECK: ${goList(old)}\n` : undefined;
      const hc = healthConfig(ins);
      c.Healthcheck = hc;
      return { comment: `HEALTHCHECK ${goQuoteHealthcheck(hc)}`, ...(note ? { note } : {}) };
    }
    case 'EXPOSE': {
      const words = ins.ports.flatMap((p) => x.words(p));
      c.ExposedPorts = { ...(c.ExposedPorts ?? {}) };
      for (const p of exposedPorts(words)) c.ExposedPorts[p] = {};
      // dockerd lists the words sorted (as strings) in the comment.
      return { comment: `EXPOSE ${[...words].sort().join(' ')}` };
    }
    case 'USER': {
      c.User = x.word(ins.user);
      return { comment: `USER ${c.User}` };
    }
    case 'VOLUME': {
      const paths = ins.paths.map((p) => x.word(p));
      c.Volumes = { ...(c.Volumes ?? {}) };
      for (const p of paths) {
        if (p === '') throw new InvalidParameterError('VOLUME specified can not be an empty string');
        c.Volumes[p] = {};
      }
      return { comment: `VOLUME ${goList(paths)}` };
    }
    case 'STOPSIGNAL': {
      const sig = x.word(ins.signal);
      checkSignal(sig);
      c.StopSignal = sig;
      return { comment: `STOPSIGNAL ${sig}` };
    }
    case 'ARG': {
      const parts: string[] = [];
      for (const arg of ins.args) {
        const value = arg.default === undefined ? undefined : x.word(arg.default);
        state.args.add(arg.name, value);
        parts.push(value === undefined ? arg.name : `${arg.name}=${value}`);
      }
      return { comment: `ARG ${parts.join(' ')}` };
    }
    case 'SHELL':
      c.Shell = [...ins.shell];
      return { comment: `SHELL ${goList(ins.shell)}` };
    case 'ONBUILD': {
      const trigger = ins.trigger;
      const head = trigger.trim().split(/\s+/, 1)[0]!.toUpperCase();
      if (head === 'ONBUILD') throw new InvalidParameterError('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (head === 'FROM' || head === 'MAINTAINER') throw new InvalidParameterError(`${head} isn't allowed as an ONBUILD trigger`);
      c.OnBuild = [...(c.OnBuild ?? []), trigger];
      return { comment: `ONBUILD ${trigger}` };
    }
  }
}
