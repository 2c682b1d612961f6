/**
 * argv → command → exit code. Global flags are parsed up to the command name
 * (cobra's TraverseChildren), then the command's own flags; usage errors are
 * worded and coded as the docker CLI words and codes them.
 */
import { Cli, type GlobalOptions, type Streams } from './cli.ts';
import { FlagError, HelpRequested, parseFlags, type FlagSpec } from './flags.ts';
import { commandHelp, flagUsages, groupHelp, usageLine } from './help.ts';
import { StatusError, reportError } from './errors.ts';
import type { CommandSpec } from './command.ts';
import { GROUPS, TOP } from './commands/index.ts';

import { VERSION } from './version-info.ts';

const GLOBAL_FLAGS: FlagSpec[] = [
  { long: 'config', type: 'string', usage: "Directory of the client's configuration", def: '' },
  { long: 'context', short: 'c', type: 'string', usage: 'Context to connect through (wins over DOCKER_HOST and the context chosen with "berth context use")' },
  { long: 'debug', short: 'D', type: 'bool', usage: 'Print debugging output' },
  { long: 'host', short: 'H', type: 'list', usage: 'Server address to connect to' },
  { long: 'log-level', short: 'l', type: 'string', usage: 'How much to log ("debug", "info", "warn", "error", "fatal")', def: 'info' },
  { long: 'tls', type: 'bool', usage: 'Connect over TLS (--tlsverify turns this on)' },
  { long: 'tlscacert', type: 'string', usage: 'CA certificate to check the server against' },
  { long: 'tlscert', type: 'string', usage: 'Client TLS certificate' },
  { long: 'tlskey', type: 'string', usage: 'Client TLS key' },
  { long: 'tlsverify', type: 'bool', usage: "Connect over TLS and check the server's certificate" },
  { long: 'version', short: 'v', type: 'bool', usage: 'Print the version and exit' },
  { long: 'help', type: 'bool', usage: 'Show this help', hidden: true },
];

function rootHelp(bin: string): string {
  const rows = Object.entries(TOP).map(([name, entry]) => ({ name, short: entry.short }));
  const groups = Object.entries(GROUPS).map(([name, g]) => ({ name, short: g.short }));
  const pad = (n: string) => n.padEnd(12);
  return (
    `Usage:  ${bin} [OPTIONS] COMMAND\n\nBerth runs and manages containers\n\n` +
    `Management Commands:\n${groups.map((g) => `  ${pad(g.name)}${g.short}`).join('\n')}\n\n` +
    `Commands:\n${rows.map((r) => `  ${pad(r.name)}${r.short}`).join('\n')}\n\n` +
    `Global Options:\n${flagUsages(GLOBAL_FLAGS)}\n\nRun '${bin} COMMAND --help' for more information on a command.\n`
  );
}

/** docker wraps help at the width of the terminal on fd 0, less one; 80 - 1 otherwise. */
function helpWidth(streams: Streams): number {
  return streams.stdin.isTTY && streams.stdout.columns ? streams.stdout.columns - 1 : 79;
}

function usageError(message: string, usage: string, path: string): StatusError {
  return new StatusError(`${message}\n\nUsage:  ${usage}\n\nRun '${path} --help' for more information`, 125);
}

function checkArgs(bin: string, path: string, spec: CommandSpec, n: number): void {
  const rule = spec.args;
  if (!rule) return;
  const use = usageLine(path, spec);
  const plural = (k: number) => (k === 1 ? 'argument' : 'arguments');
  const fail = (what: string, verb: 'See' | 'Run' | 'SRun') => {
    throw new StatusError(`${bin}: '${path}' ${what}\n\nUsage:  ${use}\n\n${verb} '${path} --help' for more information`, 1);
  };
  if (rule.exact !== undefined) {
    if (n === rule.exact) return;
    if (rule.exact === 0) fail('accepts no arguments', 'Run');
    fail(`requires ${rule.exact} ${plural(rule.exact)}`, 'Run');
  }
  if (rule.min !== undefined && rule.max !== undefined && (n < rule.min || n > rule.max)) {
    fail(`requires at least ${rule.min} and at most ${rule.max} ${plural(rule.max)}`, 'Run');
  }
  if (rule.min !== undefined && n < rule.min) fail(`requires at least ${rule.min} ${plural(rule.min)}`, 'See');
  // "SRun" is docker-cli's own typo in cli.RequiresMaxArgs (docker 28 prints it so).
  if (rule.max !== undefined && n > rule.max) fail(`requires at most ${rule.max} ${plural(rule.max)}`, 'SRun');
}

async function dispatch(bin: string, streams: Streams, env: Record<string, string | undefined>, argv: string[]): Promise<number> {
  let root;
  try {
    root = parseFlags(GLOBAL_FLAGS, argv, { interspersed: false });
  } catch (err) {
    if (err instanceof HelpRequested) {
      streams.stdout.write(rootHelp(bin));
      return 0;
    }
    if (err instanceof FlagError) throw usageError(err.message, `${bin} [OPTIONS] COMMAND [ARG...]`, bin);
    throw err;
  }
  if (root.bool('version')) {
    streams.stdout.write(`Berth version ${VERSION}\n`);
    return 0;
  }
  const globals: GlobalOptions = {
    config: root.str('config'),
    context: root.str('context'),
    debug: root.bool('debug'),
    hosts: root.list('host'),
    logLevel: root.str('log-level'),
    tls: root.bool('tls'),
    tlsVerify: root.bool('tlsverify'),
    tlsCaCert: root.str('tlscacert'),
    tlsCert: root.str('tlscert'),
    tlsKey: root.str('tlskey'),
  };
  const [name, ...rest] = root.args;
  if (name === undefined) {
    streams.stdout.write(rootHelp(bin));
    return 0;
  }
  let path = `${bin} ${name}`;
  let entry = TOP[name];
  let args = rest;
  const group = GROUPS[name];
  if (group) {
    const [sub, ...subArgs] = rest;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      const entries = Object.entries(group.commands).map(([n, c]) => ({ name: n, short: c.short }));
      streams.stdout.write(groupHelp(path, group.short, entries));
      return 0;
    }
    entry = group.commands[group.aliases[sub] ?? sub];
    if (!entry) throw new StatusError(`${bin}: unknown command: ${path} ${sub}\n\nUsage:  ${path}\n\nRun '${path} --help' for more information`, 1);
    path = `${path} ${sub}`;
    args = subArgs;
  }
  if (!entry) throw new StatusError(`${bin}: unknown command: ${bin} ${name}\n\nRun '${bin} --help' for more information`, 1);
  const { command: spec } = await entry.load();
  let flags;
  try {
    flags = parseFlags(spec.flags, args, { interspersed: spec.interspersed ?? true });
  } catch (err) {
    if (err instanceof HelpRequested) {
      streams.stdout.write(commandHelp(bin, path, spec, helpWidth(streams)));
      return 0;
    }
    if (err instanceof FlagError) throw usageError(err.message, usageLine(path, spec), path);
    throw err;
  }
  checkArgs(bin, path, spec, flags.args.length);
  const cli = new Cli(bin, streams, env, globals);
  const code = await spec.run({ cli, flags, args: flags.args, path });
  return code ?? 0;
}

/** Run the CLI; resolves with the process exit code, having printed any error. */
export async function main(bin: string, argv: string[], streams: Streams, env: Record<string, string | undefined>): Promise<number> {
  try {
    return await dispatch(bin, streams, env, argv);
  } catch (err) {
    const { text, code } = reportError(err);
    if (text) streams.stderr.write(text + '\n');
    return code;
  }
}
