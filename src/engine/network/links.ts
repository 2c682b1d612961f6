/**
 * Legacy links (`--link target:alias`, default bridge only), pure: the link
 * spec, the environment variables and the /etc/hosts lines dockerd 20.10
 * gives the linking container (checked against the reference engine with
 * `docker run --link db:my-db … env; cat /etc/hosts`).
 *
 * Vocabulary: the *parent* links to the *target* (dockerd's "child") under
 * an *alias*; the link's full name is "/parent/alias", which is also the
 * value of ALIAS_NAME and how HostConfig.Links shows it ("/target:/parent/alias").
 */
import { InvalidParameterError, SystemError } from '../../util/errors.ts';

/** A link spec, "name:alias", "name" (alias = name) or, from a stored HostConfig, "/name:/parent/alias"; errors in dockerd's words (500). */
export function parseLink(spec: string): { name: string; alias: string } {
  if (spec === '') throw new SystemError('empty string specified for links');
  const parts = spec.split(':');
  if (parts.length > 2) throw new SystemError(`bad format for links: ${spec}`);
  if (parts.length === 1) return { name: spec, alias: spec };
  const [name, alias] = parts as [string, string];
  if (name.startsWith('/')) return { name: name.slice(1), alias: alias.slice(alias.lastIndexOf('/') + 1) };
  return { name, alias };
}

/** How HostConfig.Links shows a link once registered: "/target:/parent/alias" (names with their leading slash). */
export function formatLink(targetName: string, parentName: string, alias: string): string {
  return `${targetName}:${linkName(parentName, alias)}`;
}

/** "/parent/alias" (path.Join of the parent's name and the alias). */
export function linkName(parentName: string, alias: string): string {
  return `/${parentName.replace(/^\/+/, '')}/${alias}`.replace(/\/+/g, '/');
}

/** What a link needs to know of its target (running, on the default bridge). */
export interface LinkTarget {
  /** The target's name with its slash ("/db"). */
  name: string;
  /** Its Config.Hostname (the short ID unless set). */
  hostname: string;
  /** Its address on the default bridge. */
  ip: string;
  /** Its global IPv6 address there, if any. */
  ipv6?: string;
  /** Its Config.Env. */
  env?: readonly string[] | null;
  /** Its Config.ExposedPorts. */
  exposedPorts?: Record<string, unknown> | null;
}

interface Port {
  port: number;
  proto: string;
}

function exposed(target: LinkTarget): Port[] {
  const out = Object.keys(target.exposedPorts ?? {}).map((k) => {
    const [p, proto = 'tcp'] = k.split('/');
    return { port: Number(p) || 0, proto: proto || 'tcp' };
  });
  // dockerd sorts by number, tcp first among equals.
  return out.sort((a, b) => a.port - b.port || (a.proto === 'tcp' ? 0 : 1) - (b.proto === 'tcp' ? 0 : 1));
}

/** dockerd's nextContiguous: the index of the last port of the run that starts at `i` (it counts entries, not distinct numbers). */
function runEnd(ports: Port[], i: number): number {
  let value = ports[i]!.port;
  for (let j = i + 1; j < ports.length; j++) {
    if (ports[j]!.port > value + 1) return j - 1;
    value++;
  }
  return ports.length - 1;
}

/**
 * The variables dockerd injects for `--link target:alias` into the parent
 * `parentName`, in its order: ALIAS_PORT (the lowest exposed port),
 * ALIAS_PORT_<p>_<PROTO>_START/_END… for runs of consecutive ports, then
 * ALIAS_PORT_<p>_<PROTO>, _ADDR, _PORT, _PROTO per port, ALIAS_NAME, and
 * ALIAS_ENV_<X> for the target's environment but HOME and PATH. The alias is
 * upper-cased with "-" as "_". A variable dockerd emits twice (a run's
 * _ADDR/_PROTO) appears once.
 */
export function linkEnv(alias: string, target: LinkTarget, parentName: string): string[] {
  const A = alias.toUpperCase().replace(/-/g, '_');
  const ip = target.ip;
  const ports = exposed(target);
  const env: string[] = [];
  const first = ports[0];
  if (first) env.push(`${A}_PORT=${first.proto}://${ip}:${first.port}`);
  for (let i = 0; i < ports.length;) {
    const p = ports[i]!;
    const j = runEnd(ports, i);
    if (j > i + 1) {
      const q = ports[j]!;
      const P = `${A}_PORT_${p.port}_${p.proto.toUpperCase()}`;
      env.push(`${P}_START=${p.proto}://${ip}:${p.port}`, `${P}_ADDR=${ip}`, `${P}_PROTO=${p.proto}`, `${P}_PORT_START=${p.port}`);
      const Q = `${A}_PORT_${p.port}_${q.proto.toUpperCase()}`;
      env.push(`${Q}_END=${q.proto}://${ip}:${q.port}`, `${Q}_PORT_END=${q.port}`);
      i = j + 1;
    } else {
      i++;
    }
  }
  for (const p of ports) {
    const P = `${A}_PORT_${p.port}_${p.proto.toUpperCase()}`;
    env.push(`${P}=${p.proto}://${ip}:${p.port}`, `${P}_ADDR=${ip}`, `${P}_PORT=${p.port}`, `${P}_PROTO=${p.proto}`);
  }
  env.push(`${A}_NAME=${linkName(parentName, alias)}`);
  for (const kv of target.env ?? []) {
    const eq = kv.indexOf('=');
    if (eq < 0) continue;
    const key = kv.slice(0, eq);
    // dockerd skips what every image sets (docker build adds them).
    if (key === 'HOME' || key === 'PATH') continue;
    env.push(`${A}_ENV_${key}=${kv.slice(eq + 1)}`);
  }
  const seen = new Set<string>();
  return env.filter((kv) => {
    const key = kv.slice(0, kv.indexOf('='));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The /etc/hosts lines of the parent for its links: "<ip>\t<alias>
 * <target hostname>" plus the target's name when it differs from the alias,
 * one line per address (IPv4, then IPv6 if the target has one).
 */
export function linkHostsEntries(links: readonly { alias: string; target: LinkTarget }[]): string[] {
  const lines: string[] = [];
  for (const { alias, target } of links) {
    const name = target.name.replace(/^\//, '');
    const names = [alias, target.hostname, ...(alias !== name ? [name] : [])].join(' ');
    if (target.ip) lines.push(`${target.ip}\t${names}`);
    if (target.ipv6) lines.push(`${target.ipv6}\t${names}`);
  }
  return lines;
}

/** dockerd's link errors, with the statuses it answers. */
export const linkErrors = {
  /** At create, a target that does not exist (400). */
  noSuchTarget: (name: string) => new InvalidParameterError(`could not get container for ${name}: No such container: ${name}`),
  /** At create, either side on the host network (400). */
  hostNetwork: () => new InvalidParameterError("conflicting options: host type networking can't be used with links. This would result in undefined behavior"),
  /** At start, a target that is not running (500); `link` is "/parent/alias". */
  notRunning: (targetName: string, link: string) => new SystemError(`Cannot link to a non running container: ${targetName} AS ${link}`),
  /** At start, a target off the default bridge (500). */
  notOnDefaultBridge: (targetName: string) => new SystemError(`Cannot link to ${targetName}, as it does not belong to the default network`),
};
