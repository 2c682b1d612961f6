/**
 * Which daemon to talk to, and how. Pure: environment, flags and the current
 * context's endpoint are passed in. The order is Berth's (DESIGN.md):
 * -H/--host, BERTH_HOST, DOCKER_HOST, the current context, the default socket.
 */
import { InvalidParameterError } from '../util/errors.ts';

export const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

export type Endpoint =
  | { kind: 'unix'; socketPath: string; url: string }
  | { kind: 'tcp'; host: string; port: number; url: string };

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  /** false with --tls alone: encrypt but do not verify the server. */
  verify: boolean;
}

/** Parse `unix:///path` or `tcp://host[:port]` as docker's opts.ParseHost does. */
export function parseHost(raw: string, tls = false): Endpoint {
  const value = raw.trim();
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length) || '/var/run/docker.sock';
    return { kind: 'unix', socketPath, url: `unix://${socketPath}` };
  }
  if (value.startsWith('tcp://') || value.startsWith('http://') || value.startsWith('https://')) {
    const rest = value.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
    const m = /^(\[[^\]]+\]|[^:/]*)(?::(\d+))?$/.exec(rest);
    if (!m) throw new InvalidParameterError(`invalid bind address (${value}): unsupported`);
    const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || '127.0.0.1';
    const port = m[2] !== undefined ? Number(m[2]) : tls ? 2376 : 2375;
    return { kind: 'tcp', host, port, url: `tcp://${m[1] || '127.0.0.1'}:${port}` };
  }
  if (value.startsWith('/')) {
    return { kind: 'unix', socketPath: value, url: `unix://${value}` };
  }
  throw new InvalidParameterError(`unable to parse docker host \`${value}\``);
}

export interface HostInputs {
  /** -H/--host values (docker accepts one). */
  flagHosts: string[];
  env: Record<string, string | undefined>;
  /** The current context's docker endpoint host, when a non-default context is in use. */
  contextHost?: string;
  /** True when a context was chosen explicitly with --context. */
  contextExplicit?: boolean;
}

/** Pick the host URL by Berth's precedence. */
export function resolveHost(inputs: HostInputs): string {
  if (inputs.flagHosts.length > 1) throw new InvalidParameterError('Specify only one -H');
  const flag = inputs.flagHosts[0];
  if (flag) return flag;
  if (inputs.contextExplicit && inputs.contextHost) return inputs.contextHost;
  const env = inputs.env['BERTH_HOST'] || inputs.env['DOCKER_HOST'];
  if (env) return env;
  if (inputs.contextHost) return inputs.contextHost;
  return DEFAULT_HOST;
}
