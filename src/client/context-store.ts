/**
 * Docker's on-disk context store, read and written in Docker's format so
 * contexts made by either tool work in both:
 *   <config>/contexts/meta/<sha256(name)>/meta.json
 *     {"Name":…,"Metadata":{"Description":…},"Endpoints":{"docker":{"Host":…,"SkipTLSVerify":…}}}
 *   <config>/contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem
 * The current context is config.json's `currentContext`, overridden by
 * DOCKER_CONTEXT and by --context. "default" is implicit and never on disk.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { NotFoundError, ConflictError, InvalidParameterError } from '../util/errors.ts';

export interface ContextEndpoint {
  Host: string;
  SkipTLSVerify: boolean;
}
export interface ContextMeta {
  Name: string;
  Metadata: { Description?: string; [k: string]: unknown };
  Endpoints: { docker?: ContextEndpoint; [k: string]: unknown };
}

export const DEFAULT_CONTEXT = 'default';
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/;

export function contextDirName(name: string): string {
  // node:crypto is loaded here, on first use, not at import: every command
  // imports this module, few use a named context, and loading node:crypto
  // costs the compiled CLI about 1 ms of start-up.
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(name).digest('hex');
}

export class ContextStore {
  constructor(readonly configDir: string) {}

  private metaRoot(): string {
    return path.join(this.configDir, 'contexts', 'meta');
  }

  tlsDir(name: string): string {
    return path.join(this.configDir, 'contexts', 'tls', contextDirName(name), 'docker');
  }

  /** The named context, or NotFoundError with Docker's wording. */
  get(name: string): ContextMeta {
    const file = path.join(this.metaRoot(), contextDirName(name), 'meta.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new NotFoundError(`context "${name}": context not found: open ${file}: no such file or directory`);
    }
    return JSON.parse(text) as ContextMeta;
  }

  list(): ContextMeta[] {
    let dirs: string[] = [];
    try {
      dirs = readdirSync(this.metaRoot());
    } catch {
      return [];
    }
    const out: ContextMeta[] = [];
    for (const d of dirs) {
      try {
        out.push(JSON.parse(readFileSync(path.join(this.metaRoot(), d, 'meta.json'), 'utf8')) as ContextMeta);
      } catch {
        // A half-written or foreign directory: docker skips it too.
      }
    }
    return out.sort((a, b) => a.Name.localeCompare(b.Name));
  }

  create(meta: ContextMeta): void {
    if (meta.Name === DEFAULT_CONTEXT || !NAME_RE.test(meta.Name)) {
      throw new InvalidParameterError(
        `context name ${JSON.stringify(meta.Name)} is invalid, names are validated against regexp "^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$"`,
      );
    }
    const dir = path.join(this.metaRoot(), contextDirName(meta.Name));
    if (existsSync(dir)) throw new ConflictError(`context "${meta.Name}" already exists`);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta), { mode: 0o644 });
  }

  remove(name: string): void {
    this.get(name);
    rmSync(path.join(this.metaRoot(), contextDirName(name)), { recursive: true, force: true });
    rmSync(path.join(this.configDir, 'contexts', 'tls', contextDirName(name)), { recursive: true, force: true });
  }
}
