/**
 * The ports short syntax (`[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]`, ranges,
 * IPv6 in brackets) into long-form entries, as compose-go's ParsePortConfig
 * does with docker's nat.ParsePortSpecs: one entry per container port, host
 * range kept as a string when the container port is single; Docker's error
 * words (`invalid containerPort: x`).
 */
import { isIP } from 'node:net';
import type { ServicePort } from './model.ts';

function parseRange(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const start = m ? Number(m[1]) : NaN;
  const end = m?.[2] !== undefined ? Number(m[2]) : start;
  if (!m || start > 65535 || end > 65535 || end < start) throw new Error(`invalid ${what}: ${text}`);
  return [start, end];
}

/** Split `[ip:]host:container` from the right (nat's splitParts). */
function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  const container = parts[n - 1] as string;
  if (n === 1) return ['', '', container];
  if (n === 2) return ['', parts[0] as string, container];
  if (n === 3) return [parts[0] as string, parts[1] as string, container];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2] as string, container];
}

export function parsePortSpec(spec: string): ServicePort[] {
  let [ip, hostPort, containerPort] = splitParts(spec);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip !== '' && isIP(ip) === 0) throw new Error(`invalid IP address: ${ip}`);
  let protocol = 'tcp';
  const slash = containerPort.indexOf('/');
  if (slash >= 0) {
    protocol = containerPort.slice(slash + 1).toLowerCase();
    containerPort = containerPort.slice(0, slash);
  }
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw new Error(`invalid proto: ${protocol}`);
  if (containerPort === '') throw new Error(`no port specified: ${spec}<empty>`);
  const [start, end] = parseRange(containerPort, 'containerPort');
  let hostStart = 0;
  let hostEnd = 0;
  if (hostPort !== '') [hostStart, hostEnd] = parseRange(hostPort, 'hostPort');
  if (hostPort !== '' && end - start !== hostEnd - hostStart && end !== start) {
    throw new Error(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  }
  const out: ServicePort[] = [];
  for (let i = 0; i <= end - start; i++) {
    const port: ServicePort = { mode: 'ingress', target: start + i, protocol };
    if (ip) port.host_ip = ip;
    if (hostPort !== '') {
      port.published = end - start === hostEnd - hostStart ? String(hostStart + i) : hostStart === hostEnd ? String(hostStart) : `${hostStart}-${hostEnd}`;
    }
    out.push(port);
  }
  // nat returns a map; compose-go sorts its keys ("80/tcp" < "81/tcp" as strings).
  return out.sort((a, b) => (`${a.target}/${a.protocol}` < `${b.target}/${b.protocol}` ? -1 : 1));
}

/** The unique key of 13-merge.md: {ip, target, published, protocol}. */
export function portKey(p: ServicePort): string {
  return `${p.host_ip ?? ''}|${p.target}|${p.published ?? ''}|${p.protocol}`;
}
