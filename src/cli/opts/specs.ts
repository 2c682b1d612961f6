/**
 * Parsers for docker's option mini-languages, worded like docker/cli's opts
 * and moby's nat/runconfig packages: -p, -v, -e/--env-file, --ulimit,
 * --restart, --tmpfs, labels. Pure: file contents and the environment are passed in.
 */
import path from 'node:path';
import { InvalidParameterError } from '../../util/errors.ts';
import { parseIP, splitHost } from './go-net.ts';

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** Go's strconv.ParseUint(s, 10, 16), or undefined. */
function parseUint16(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n > 65535 ? undefined : n;
}

/** nat.ParsePortRange: "80" or "8000-9000" (only the first two parts of "a-b-c" count); undefined when invalid. */
export function parsePortRange(text: string): [number, number] | undefined {
  if (text === '') return undefined;
  if (!text.includes('-')) {
    const p = parseUint16(text);
    return p === undefined ? undefined : [p, p];
  }
  const parts = text.split('-');
  const a = parseUint16(parts[0] ?? '');
  const b = parseUint16(parts[1] ?? '');
  if (a === undefined || b === undefined || b < a) return undefined;
  return [a, b];
}

/** nat.SplitProtoPort: "80/udp" → ["udp", "80"]; no protocol is tcp; a third part is ignored. */
export function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  if (raw === '' || (parts[0] ?? '') === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if ((parts[1] ?? '') === '') return ['tcp', parts[0] ?? ''];
  return [parts[1] ?? '', parts[0] ?? ''];
}

/** -p's long form (`published=8080,target=80[,protocol=udp]`) as the docker CLI rewrites it to the short one. */
function toStandardNotation(raw: string): string {
  if (!raw.includes('=')) return raw;
  const params: Record<string, string> = { protocol: 'tcp' };
  for (const param of raw.split(',')) {
    const i = param.indexOf('=');
    if (i <= 0) throw new InvalidParameterError(`invalid publish opts format (should be name=value but got '${param}')`);
    params[param.slice(0, i)] = param.slice(i + 1);
  }
  return `${params['published'] ?? ''}:${params['target'] ?? ''}/${params['protocol']}`;
}

/** nat.ParsePortSpec for one -p value: `[ip:][hostPort:]containerPort[/proto]`, ranges expanded, docker's errors. */
export function parsePortSpec(given: string): { exposed: string[]; bindings: Record<string, PortBinding[]> } {
  const raw = toStandardNotation(given);
  const parts = raw.split(':');
  const n = parts.length;
  let ip = n > 2 ? parts.slice(0, n - 2).join(':') : '';
  const hostPort = n > 1 ? (parts[n - 2] ?? '') : '';
  const [proto, containerPort] = splitProtoPort(parts[n - 1] ?? '');
  if (ip !== '' && ip[0] === '[') {
    try {
      ip = splitHost(ip + ':');
    } catch (err) {
      throw new InvalidParameterError(`invalid IP address ${ip}: ${(err as Error).message}`);
    }
  }
  if (ip !== '' && parseIP(ip) === undefined) throw new InvalidParameterError(`invalid IP address: ${ip}`);
  if (containerPort === '') throw new InvalidParameterError(`no port specified: ${raw}<empty>`);
  const cRange = parsePortRange(containerPort);
  if (!cRange) throw new InvalidParameterError(`invalid containerPort: ${containerPort}`);
  let hRange: [number, number] = [0, 0];
  if (hostPort !== '') {
    const h = parsePortRange(hostPort);
    if (!h) throw new InvalidParameterError(`invalid hostPort: ${hostPort}`);
    hRange = h;
  }
  const count = cRange[1] - cRange[0];
  // A host range with a single container port is the range to pick a free host port from.
  if (hostPort !== '' && count !== hRange[1] - hRange[0] && count !== 0) {
    throw new InvalidParameterError(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  }
  if (!['tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) throw new InvalidParameterError(`invalid proto: ${proto}`);
  const exposed: string[] = [];
  const bindings: Record<string, PortBinding[]> = {};
  for (let i = 0; i <= count; i++) {
    const key = `${cRange[0] + i}/${proto.toLowerCase()}`;
    let hp = hostPort === '' ? '' : String(hRange[0] + i);
    if (count === 0 && hRange[0] !== hRange[1]) hp = `${hp}-${hRange[1]}`;
    if (!exposed.includes(key)) exposed.push(key);
    bindings[key] = [...(bindings[key] ?? []), { HostIp: ip, HostPort: hp }];
  }
  return { exposed, bindings };
}

/** --expose `port[-end][/proto]` as the docker CLI reads it: the container ports it opens. */
export function parseExpose(raw: string): string[] {
  if (raw.includes(':')) throw new InvalidParameterError(`invalid port format for --expose: ${raw}`);
  const [proto, port] = splitProtoPort(raw);
  const range = parsePortRange(port);
  if (!range) throw new InvalidParameterError(`invalid range format for --expose: ${raw}, error: ${portRangeError(port)}`);
  const out: string[] = [];
  for (let i = range[0]; i <= range[1]; i++) out.push(`${i}/${proto}`);
  return out;
}

/** The error nat.ParsePortRange gives, in Go's words. */
function portRangeError(text: string): string {
  if (text === '') return 'empty string specified for ports';
  const parts = text.includes('-') ? text.split('-').slice(0, 2) : [text];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return `strconv.ParseUint: parsing ${JSON.stringify(p)}: invalid syntax`;
    if (Number(p) > 65535) return `strconv.ParseUint: parsing ${JSON.stringify(p)}: value out of range`;
  }
  return `invalid range specified for port: ${text}`;
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

/** --label's check as the flag is parsed (docker's opts.ValidateLabel): a name, without blanks. */
export function validateLabel(raw: string): string {
  const eq = raw.indexOf('=');
  const key = (eq >= 0 ? raw.slice(0, eq) : raw).replace(/^[ \t]+/, '');
  if (key === '') throw new Error(`invalid label '${raw}': empty name`);
  if (/[ \t]/.test(key)) throw new Error(`label '${key}' contains whitespaces`);
  return raw;
}

/** --link's check as the flag is parsed (docker's opts.ValidateLink): `name` or `name:alias`. */
export function validateLink(raw: string): string {
  if (raw === '') throw new Error('empty string specified for links');
  if (raw.split(':').length > 2) throw new Error(`bad format for links: ${raw}`);
  return raw;
}

/** One value of a pflag string-slice flag (--subnet a,b): its comma-separated items. */
export function splitStringSlice(raw: string): string[] {
  return raw === '' ? [] : raw.split(',');
}

/** `k=v` lines to a map (`-o`, `--log-opt`, `--annotation`); a bare key maps to "" (docker's MapOpts). */
export function keyValues(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf('=');
    if (i < 0) out[line] = '';
    else out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
