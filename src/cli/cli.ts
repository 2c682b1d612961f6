/**
 * What a command runs with: streams, environment, the global options, the
 * config file, and the API client (built on first use, so commands that
 * never reach the daemon never resolve a host or read a context).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApiClient } from '../client/api-client.ts';
import { parseHost, resolveHost, type TlsFiles } from '../client/host.ts';
import { ContextStore, DEFAULT_CONTEXT } from '../client/context-store.ts';
import { configDir, loadConfigFile, type ConfigFile } from './config.ts';

export interface GlobalOptions {
  config: string;
  context: string;
  debug: boolean;
  hosts: string[];
  logLevel: string;
  tls: boolean;
  tlsVerify: boolean;
  tlsCaCert: string;
  tlsCert: string;
  tlsKey: string;
}

export interface Streams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export class Cli {
  private client: ApiClient | undefined;
  private cfg: ConfigFile | undefined;

  constructor(
    readonly bin: string,
    readonly streams: Streams,
    readonly env: Record<string, string | undefined>,
    readonly globals: GlobalOptions,
  ) {}

  get out(): NodeJS.WriteStream {
    return this.streams.stdout;
  }
  get err(): NodeJS.WriteStream {
    return this.streams.stderr;
  }

  get configDir(): string {
    return configDir(this.globals.config, this.env);
  }

  get config(): ConfigFile {
    this.cfg ??= loadConfigFile(this.configDir);
    return this.cfg;
  }

  /** The context in use: --context, DOCKER_CONTEXT, config.json's currentContext, "default". */
  currentContext(): string {
    if (this.globals.context) return this.globals.context;
    if (this.globals.hosts.length > 0 || this.env['BERTH_HOST'] || this.env['DOCKER_HOST']) return DEFAULT_CONTEXT;
    return this.env['DOCKER_CONTEXT'] || this.config.currentContext || DEFAULT_CONTEXT;
  }

  contextStore(): ContextStore {
    return new ContextStore(this.configDir);
  }

  private tlsFiles(contextName: string, skipVerify: boolean): TlsFiles | undefined {
    const g = this.globals;
    const envVerify = this.env['DOCKER_TLS_VERIFY'];
    const verify = g.tlsVerify || (envVerify !== undefined && envVerify !== '');
    if (g.tls || verify) {
      const certPath = this.env['DOCKER_CERT_PATH'] || this.configDir;
      return {
        ca: g.tlsCaCert || path.join(certPath, 'ca.pem'),
        cert: g.tlsCert || path.join(certPath, 'cert.pem'),
        key: g.tlsKey || path.join(certPath, 'key.pem'),
        verify,
      };
    }
    if (contextName !== DEFAULT_CONTEXT) {
      const dir = this.contextStore().tlsDir(contextName);
      return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), verify: !skipVerify };
    }
    return undefined;
  }

  /** The daemon's host URL by Berth's precedence. */
  hostUrl(): { url: string; context: string; skipVerify: boolean } {
    const context = this.currentContext();
    let contextHost: string | undefined;
    let skipVerify = false;
    if (context !== DEFAULT_CONTEXT) {
      const ep = this.contextStore().get(context).Endpoints.docker;
      contextHost = ep?.Host;
      skipVerify = ep?.SkipTLSVerify ?? false;
    }
    const url = resolveHost({ flagHosts: this.globals.hosts, env: this.env, contextHost, contextExplicit: Boolean(this.globals.context) });
    return { url, context, skipVerify };
  }

  api(): ApiClient {
    if (this.client) return this.client;
    const { url, context, skipVerify } = this.hostUrl();
    let tls = this.tlsFiles(context, skipVerify);
    const endpoint = parseHost(url, tls !== undefined);
    if (tls && (endpoint.kind !== 'tcp' || (tls.ca && !existsSync(tls.ca) && !this.globals.tls && !this.globals.tlsVerify))) {
      // A context has TLS material only if it was created with it; unix sockets never use TLS.
      tls = undefined;
    }
    this.client = new ApiClient(endpoint, tls, this.env['DOCKER_API_VERSION'] || undefined);
    return this.client;
  }
}
