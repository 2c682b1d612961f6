/**
 * The seam for `berth registry serve|gc`: those commands run the registry
 * server in the CLI's own process, and the CLI may not import src/registry
 * (STYLE.md "Dependencies point one way"). So the CLI declares what it needs
 * here and bin/berth.ts, which may import anything, provides it.
 */
export interface RegistryServeOptions {
  addr?: string;
  root?: string;
  config?: string;
  logLevel?: string;
}

export interface RegistryGcOptions {
  root?: string;
  config?: string;
  dryRun: boolean;
  /** Uploads idle longer than this many milliseconds are removed. */
  uploadMaxAgeMs?: number;
}

export interface RegistryGcSummary {
  marked: number;
  blobsRemoved: string[];
  bytesFreed: number;
  uploadsRemoved: string[];
}

export interface LocalRegistry {
  /** Serve until SIGINT or SIGTERM; resolves with the exit code. */
  serve(opts: RegistryServeOptions, out: NodeJS.WritableStream): Promise<number>;
  gc(opts: RegistryGcOptions): Promise<RegistryGcSummary>;
}

let provider: (() => Promise<LocalRegistry>) | undefined;

export function provideLocalRegistry(load: () => Promise<LocalRegistry>): void {
  provider = load;
}

export async function localRegistry(): Promise<LocalRegistry> {
  if (!provider) throw new Error('the registry server is not part of this build');
  return provider();
}
