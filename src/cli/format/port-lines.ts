/**
 * `docker port`'s output from NetworkSettings.Ports: every mapping as
 * "80/tcp -> 0.0.0.0:8080" or, for one port, its host addresses; lines in
 * natural order, addresses joined as Go's net.JoinHostPort ("[::]:8080").
 */
import { naturalCompare } from './sort-order.ts';

type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

const joinHostPort = (ip: string, port: string) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** The text to print (with a final newline, or "" for none); throws docker's errors for a bad or unpublished port. */
export function formatPortLines(ports: PortMap, container: string, want?: string): string {
  const out: string[] = [];
  if (want) {
    const slash = want.indexOf('/');
    const port = slash < 0 ? want : want.slice(0, slash);
    const proto = (slash < 0 ? '' : want.slice(slash + 1)) || 'tcp';
    if (!/^\d+$/.test(port) || Number(port) > 65535) {
      const why = /^\d+$/.test(port) ? 'value out of range' : 'invalid syntax';
      throw new Error(`Error: invalid port (${port}): strconv.ParseUint: parsing ${JSON.stringify(port)}: ${why}`);
    }
    const bindings = ports[`${port}/${proto}`];
    if (!bindings || bindings.length === 0) throw new Error(`Error: No public port '${want}' published for ${container}`);
    for (const b of bindings) out.push(joinHostPort(b.HostIp, b.HostPort));
  } else {
    for (const [from, bindings] of Object.entries(ports)) for (const b of bindings ?? []) out.push(`${from} -> ${joinHostPort(b.HostIp, b.HostPort)}`);
  }
  out.sort(naturalCompare);
  return out.length ? `${out.join('\n')}\n` : '';
}
