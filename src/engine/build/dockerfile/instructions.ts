/**
 * The second phase of parsing (moby/buildkit instructions/parse.go): a raw
 * node becomes a typed instruction, its argument count and flags checked
 * in Docker's order and with Docker's words. Throws InstructionError.
 */
import { parseGoDuration } from '../../../util/duration.ts';
import type { CommandForm, Flag, Heredoc, Instruction } from './ast.ts';
import * as F from './flags.ts';
import { chompHeredoc, parseHeredocWord } from './heredoc.ts';
import { InstructionError } from './parse-errors.ts';
import { checkRunFlags } from './run-flags.ts';
import type { RawNode } from './scan-lines.ts';

const VALID_STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

const atLeastOne = (cmd: string) => new InstructionError(`${cmd} requires at least one argument`);
const exactlyOne = (cmd: string) => new InstructionError(`${cmd} requires exactly one argument`);
const noDestination = (cmd: string) =>
  new InstructionError(`${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`);

/** Flags of an instruction Docker does not check (ARG, STOPSIGNAL, HEALTHCHECK NONE), split as written. */
function uncheckedFlags(words: readonly string[]): Flag[] {
  return words.filter((w) => w !== '--').map((w) => {
    const body = w.replace(/^--/, '');
    const eq = body.indexOf('=');
    return eq >= 0 ? { name: body.slice(0, eq), value: body.slice(eq + 1) } : { name: body };
  });
}

function commandForm(node: RawNode): CommandForm {
  return node.json ? { form: 'exec', args: node.args } : { form: 'shell', command: node.args.join(' ') };
}

function heredocs(node: RawNode): Heredoc[] {
  return node.heredocs.map((h) => ({
    name: h.name,
    content: h.chomp ? chompHeredoc(h.content) : h.content,
    expand: h.expand,
    chomp: h.chomp,
  }));
}

function checkInterval(flags: readonly Flag[], name: string): void {
  const value = F.flagValue(flags, name);
  if (value === undefined || value === '') return;
  let ns: number;
  try {
    ns = parseGoDuration(value);
  } catch (err) {
    throw new InstructionError((err as Error).message);
  }
  if (ns !== 0 && ns < 1e6) throw new InstructionError(`Interval "${name}" cannot be less than 1ms`);
}

function checkRetries(flags: readonly Flag[]): void {
  const value = F.flagValue(flags, 'retries');
  if (value === undefined || value === '') return;
  if (!/^[+-]?\d+$/.test(value)) throw new InstructionError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  const n = Number(value);
  if (n > 2 ** 31 - 1 || n < -(2 ** 31)) {
    throw new InstructionError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`);
  }
  if (n < 0) throw new InstructionError(`--retries cannot be negative (${n})`);
}

/** The ONBUILD trigger as Docker stores it: the line without `ONBUILD`, heredoc bodies appended. */
function triggerText(node: RawNode): string {
  let text = node.original.replace(/^\s*ONBUILD\s*/i, '');
  for (const h of node.heredocs) text += `\n${h.content}${h.name}`;
  return text;
}

export function toInstruction(node: RawNode): Instruction {
  const kind = node.cmd.toUpperCase();
  const args = node.args;
  const base = { line: node.startLine, endLine: node.endLine, raw: node.original.trim() };
  const withFlags = (spec: F.FlagSpec) => ({ ...base, flags: F.parseFlags(node.flags, spec) });
  switch (kind) {
    case 'FROM': {
      let as: string | undefined;
      if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
        as = args[2]!.toLowerCase();
        if (!VALID_STAGE_NAME.test(as)) {
          throw new InstructionError(
            `invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`,
          );
        }
      } else if (args.length !== 1) {
        throw new InstructionError('FROM requires either one or three arguments');
      }
      const from = { ...withFlags(F.FROM_FLAGS), kind: 'FROM' as const, image: args[0]! };
      return as === undefined ? from : { ...from, as };
    }
    case 'RUN': {
      const flagged = withFlags(F.RUN_FLAGS);
      checkRunFlags(flagged.flags);
      return { ...flagged, kind, command: commandForm(node), heredocs: heredocs(node) };
    }
    case 'CMD':
    case 'ENTRYPOINT':
      return { ...withFlags(F.NO_FLAGS), kind, command: commandForm(node) };
    case 'COPY':
    case 'ADD': {
      if (args.length < 2) throw noDestination(kind);
      const flags = F.parseFlags(node.flags, kind === 'COPY' ? F.COPY_FLAGS : F.ADD_FLAGS);
      const dest = args[args.length - 1]!;
      if (parseHeredocWord(dest) !== undefined) throw new InstructionError(`${kind} cannot accept a heredoc as a destination`);
      return { ...base, flags, kind, sources: args.slice(0, -1), dest, heredocs: heredocs(node), jsonForm: node.json };
    }
    case 'ENV':
    case 'LABEL': {
      const flags = F.parseFlags(node.flags, F.NO_FLAGS);
      if (args.length === 0) throw atLeastOne(kind);
      if (args.length % 3 !== 0) throw new InstructionError(`Bad input to ${kind}, too many arguments`);
      const pairs: { key: string; value: string }[] = [];
      for (let i = 0; i < args.length; i += 3) {
        if (args[i] === '') throw new InstructionError(`${kind} names can not be blank`);
        pairs.push({ key: args[i]!, value: args[i + 1]! });
      }
      return { ...base, flags, kind, pairs };
    }
    case 'ARG': {
      if (args.length === 0) throw atLeastOne(kind);
      const list = args.map((arg) => {
        const eq = arg.indexOf('=');
        if (eq < 0) return { name: arg };
        if (eq === 0) throw new InstructionError('ARG names can not be blank');
        return { name: arg.slice(0, eq), default: arg.slice(eq + 1) };
      });
      return { ...base, flags: uncheckedFlags(node.flags), kind, args: list };
    }
    case 'MAINTAINER':
      if (args.length !== 1) throw exactlyOne(kind);
      return { ...withFlags(F.NO_FLAGS), kind, maintainer: args[0]! };
    case 'EXPOSE':
      if (args.length === 0) throw atLeastOne(kind);
      return { ...withFlags(F.NO_FLAGS), kind, ports: args };
    case 'USER':
      if (args.length !== 1) throw exactlyOne(kind);
      return { ...withFlags(F.NO_FLAGS), kind, user: args[0]! };
    case 'WORKDIR':
      if (args.length !== 1) throw exactlyOne(kind);
      return { ...withFlags(F.NO_FLAGS), kind, path: args[0]! };
    case 'VOLUME': {
      if (args.length === 0) throw atLeastOne(kind);
      const flagged = withFlags(F.NO_FLAGS);
      const paths = args.map((v) => v.trim());
      if (paths.includes('')) throw new InstructionError('VOLUME specified can not be an empty string');
      return { ...flagged, kind, paths };
    }
    case 'SHELL': {
      const flagged = withFlags(F.NO_FLAGS);
      if (args.length === 0) throw atLeastOne(kind);
      if (!node.json) throw new InstructionError('SHELL requires the arguments to be in JSON form');
      return { ...flagged, kind, shell: args };
    }
    case 'STOPSIGNAL':
      if (args.length !== 1) throw exactlyOne(kind);
      return { ...base, flags: uncheckedFlags(node.flags), kind, signal: args[0]! };
    case 'HEALTHCHECK': {
      if (args.length === 0) throw atLeastOne(kind);
      const type = args[0]!.toUpperCase();
      if (type === 'NONE') {
        if (args.length !== 1) throw new InstructionError('HEALTHCHECK NONE takes no arguments');
        return { ...base, flags: uncheckedFlags(node.flags), kind, none: true };
      }
      const flagged = withFlags(F.HEALTHCHECK_FLAGS);
      if (type !== 'CMD') throw new InstructionError(`Unknown type ${JSON.stringify(type)} in HEALTHCHECK (try CMD)`);
      if (args.length === 1) throw new InstructionError('Missing command after HEALTHCHECK CMD');
      for (const name of ['interval', 'timeout', 'start-period', 'start-interval']) checkInterval(flagged.flags, name);
      checkRetries(flagged.flags);
      const rest = args.slice(1);
      const command: CommandForm = node.json ? { form: 'exec', args: rest } : { form: 'shell', command: rest.join(' ') };
      return { ...flagged, kind, none: false, command };
    }
    case 'ONBUILD': {
      if (args.length === 0) throw atLeastOne(kind);
      const flagged = withFlags(F.NO_FLAGS);
      const trigger = args[0]!.trim().toUpperCase();
      if (trigger === 'ONBUILD') throw new InstructionError('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (trigger === 'MAINTAINER' || trigger === 'FROM') throw new InstructionError(`${trigger} isn't allowed as an ONBUILD trigger`);
      return { ...flagged, kind, trigger: triggerText(node) };
    }
    default:
      throw new InstructionError(`unknown instruction: ${kind}`);
  }
}
