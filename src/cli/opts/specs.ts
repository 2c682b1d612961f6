/**
 * Parsers for docker's option mini-languages, worded like docker/cli's opts
 * and moby's nat/runconfig packages: -p, -v, -e/--env-file, --ulimit,
 * --restart, --tmpfs, labels. Pure: file contents and the environment are passed in.
 */
import path from 'node:path';
import { InvalidParameterError } from '../../util/errors.ts';

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

function parseRange(text: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] !== undefined ? Number(m[2]) : a;
  if (a > 65535 || b > 65535 || b < a) return undefined;
  return [a, b];
}

/** nat.ParsePortSpec for one -p value: `[ip:][hostPort:]containerPort[/proto]`. */
export function parsePortSpec(raw: string): { exposed: string[]; bindings: Record<string, PortBinding[]> } {
  let rest = raw;
  let proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
  }
  let ip = '';
  let hostPort = '';
  let containerPort = rest;
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (bracket) {
    ip = bracket[1] ?? '';
    const tail = bracket[2] ?? '';
    const c = tail.lastIndexOf(':');
    hostPort = c >= 0 ? tail.slice(0, c) : '';
    containerPort = c >= 0 ? tail.slice(c + 1) : tail;
  } else {
    const parts = rest.split(':');
    if (parts.length === 2) [hostPort = '', containerPort = ''] = parts;
    else if (parts.length === 3) [ip = '', hostPort = '', containerPort = ''] = parts;
    else if (parts.length > 3) throw new InvalidParameterError(`invalid port format for --publish: ${raw}`);
  }
  if (containerPort === '') throw new InvalidParameterError(`no port specified: ${raw}<empty>`);
  const cRange = parseRange(containerPort);
  if (!cRange) throw new InvalidParameterError(`invalid containerPort: ${containerPort}`);
  let hRange: [number, number] | undefined;
  if (hostPort !== '') {
    hRange = parseRange(hostPort);
    if (!hRange) throw new InvalidParameterError(`invalid hostPort: ${hostPort}`);
  }
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new InvalidParameterError(`invalid proto: ${proto}`);
  const count = cRange[1] - cRange[0];
  if (hRange && hRange[1] - hRange[0] !== count && hRange[1] !== hRange[0]) {
    throw new InvalidParameterError(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  }
  const exposed: string[] = [];
  const bindings: Record<string, PortBinding[]> = {};
  for (let i = 0; i <= count; i++) {
    const key = `${cRange[0] + i}/${proto}`;
    exposed.push(key);
    let hp = '';
    if (hRange) hp = hRange[1] === hRange[0] ? String(hRange[0]) : String(hRange[0] + i);
    if (hRange && hRange[1] !== hRange[0] && count === 0) hp = `${hRange[0]}-${hRange[1]}`;
    bindings[key] = [...(bindings[key] ?? []), { HostIp: ip, HostPort: hp }];
  }
  return { exposed, bindings };
}

/** -e VAR=value as is; -e VAR takes the client's value when set, else is passed as "VAR" (opts.ValidateEnv). */
export function resolveEnv(raw: string, env: Record<string, string | undefined>): string {
  if (raw.includes('=')) {
    if (raw.startsWith('=')) throw new InvalidParameterError(`invalid environment variable: ${raw}`);
    return raw;
  }
  const v = env[raw];
  return v !== undefined ? `${raw}=${v}` : raw;
}

/** An --env-file / --label-file: lines, `#` comments and blank lines skipped, `VAR` resolved from env. */
export function parseKeyValueFile(file: string, content: string, env: Record<string, string | undefined>, resolve: boolean): string[] {
  const out: string[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq >= 0 ? line.slice(0, eq) : line;
    if (key === '' ) throw new InvalidParameterError(`no variable name on line '${line}'`);
    if (/\s/.test(key)) throw new InvalidParameterError(`variable '${key.trimEnd()}' contains whitespaces`);
    if (eq >= 0) out.push(line);
    else if (resolve && env[line] !== undefined) out.push(`${line}=${env[line]}`);
    else if (resolve) continue;
    else out.push(line);
    void file;
  }
  return out;
}

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

/** --ulimit name=soft[:hard] (go-units ParseUlimit). */
export function parseUlimit(raw: string): Ulimit {
  const parts = raw.split('=');
  if (parts.length !== 2) throw new Error(`invalid ulimit argument: ${raw}`);
  const [name = '', limits = ''] = parts;
  const known = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'];
  if (!known.includes(name)) throw new Error(`invalid ulimit type: ${name}`);
  const [softText = '', hardText, extra] = limits.split(':');
  if (extra !== undefined) throw new Error(`too many limit value arguments - ${limits}, can only have up to two, \`soft[:hard]\``);
  const num = (t: string) => {
    if (!/^-?\d+$/.test(t)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(t)}: invalid syntax`);
    return Number(t);
  };
  const soft = num(softText);
  const hard = hardText !== undefined ? num(hardText) : soft;
  if (soft > hard) throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { Name: name, Soft: soft, Hard: hard };
}

/**
 * --restart name[:N], parsed as the docker CLI does: the form only (the
 * daemon judges the name and the count). Not given is the flag's default, "no".
 */
export function parseRestartPolicy(raw: string): { Name: string; MaximumRetryCount: number } {
  if (raw === '') return { Name: 'no', MaximumRetryCount: 0 };
  const colon = raw.indexOf(':');
  const name = colon < 0 ? raw : raw.slice(0, colon);
  const count = colon < 0 ? '' : raw.slice(colon + 1);
  if (colon >= 0 && name === '') throw new InvalidParameterError('invalid restart policy format: no policy provided before colon');
  const policy = { Name: name, MaximumRetryCount: 0 };
  if (count !== '') {
    // Go's strconv.Atoi: an optional sign, then decimal digits.
    if (!/^[+-]?\d+$/.test(count)) throw new InvalidParameterError('invalid restart policy format: maximum retry count must be an integer');
    policy.MaximumRetryCount = Number(count);
  }
  return policy;
}

/**
 * -v as the docker CLI reads it (compose's volume spec parser): `dst` alone
 * is an anonymous volume (Config.Volumes); `src:dst[:options]` goes to Binds
 * as written, a relative host path starting with "." made absolute. Whether
 * the paths are absolute and the options valid is the daemon's to say.
 */
export function parseVolume(raw: string, cwd: string): { bind?: string; volume?: string } {
  if (raw === '') throw new InvalidParameterError('invalid empty volume spec');
  if (raw.length <= 2) return { volume: raw };
  const sections = raw.split(':');
  const empty = sections.findIndex((s) => s === '');
  // The parser fills source, target, then options, and stops at the first problem.
  if (empty >= 0 && empty <= 2) throw new InvalidParameterError(`invalid spec: ${raw}: empty section between colons`);
  if (sections.length > 3) throw new InvalidParameterError(`invalid spec: ${raw}: too many colons`);
  if (sections.length === 1) return { volume: raw };
  const [source = '', ...rest] = sections;
  const host = source.startsWith('.') ? path.resolve(cwd, source) : source;
  return { bind: [host, ...rest].join(':') };
}

/** --tmpfs /path[:options]. */
export function parseTmpfs(raw: string): [string, string] {
  const i = raw.indexOf(':');
  return i >= 0 ? [raw.slice(0, i), raw.slice(i + 1)] : [raw, ''];
}

/** -l k=v / k → {k: v} / {k: ""}. */
export function labelsToMap(labels: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) {
    const i = l.indexOf('=');
    if (i >= 0) out[l.slice(0, i)] = l.slice(i + 1);
    else out[l] = '';
  }
  return out;
}
