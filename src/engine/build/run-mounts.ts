/**
 * `RUN --mount=…` (BuildKit's syntax, which the classic builder lacked):
 * `type=bind|cache|tmpfs|secret`, parsed from its CSV (pure), then made
 * ready on the host for one step and released after it.
 *
 * - bind: `source` (default the root) of the context, or of a stage or image
 *   (`from=`), read-only unless `rw` (then a private copy takes the
 *   writes, which are discarded).
 * - cache: a directory that persists across builds under
 *   `<data-root>/builder/cache-mounts/<sha256(id)>` (id defaults to the
 *   target), created with `uid`/`gid`/`mode` (0:0 0755); `sharing=shared`
 *   (default) lets steps use it at once, `locked` one at a time, `private`
 *   gives a concurrent step a throwaway one.
 * - tmpfs: `size=` bytes.
 * - secret: `id` (default the target's base name), `target` (default
 *   `/run/secrets/<id>`), `required`, `mode` (0400), `uid`/`gid`; its content
 *   comes from the build's secrets through a private file, bind-mounted
 *   read-only: it is never in a layer, the config or the cache key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { KeyedLock } from '../../store/lock.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import type { Mount } from '../../wire/container-config.ts';
import { parseRunMount as readRunMount } from './dockerfile/run-flags.ts';

export interface RunMountSpec {
  type: 'bind' | 'cache' | 'tmpfs' | 'secret';
  target: string;
  source?: string;
  from?: string;
  id?: string;
  readonly: boolean;
  sharing: 'shared' | 'private' | 'locked';
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  required: boolean;
  /** secret: also (or only, without a target) as this environment variable of the step. */
  env?: string;
}

/**
 * One `--mount` value, read by the parser's BuildKit reader (each value
 * expanded with the step's args), with BuildKit's defaults filled in.
 */
export function parseRunMount(value: string, expand: (word: string) => string = (w) => w): RunMountSpec {
  const m = readRunMount(value, expand);
  if (m.type === 'ssh') throw new InvalidParameterError('mount type ssh is not supported: Berth has no SSH agent forwarding');
  let target = m.target;
  let id = m.id;
  if (m.type === 'secret') {
    id ||= m.source || (target ? path.posix.basename(target) : undefined);
    if (!id) throw new InvalidParameterError('secret ID missing from mount options');
    if (!target && !m.env) target = `/run/secrets/${id}`;
  }
  if (!target && !(m.type === 'secret' && m.env)) throw new InvalidParameterError('mount destination not specified');
  const spec: RunMountSpec = { type: m.type, target: target ? path.posix.join('/', target) : '', readonly: m.readOnly, sharing: m.sharing ?? 'shared', required: m.required };
  if (m.source !== undefined && m.type !== 'secret') spec.source = m.source;
  if (m.from) spec.from = m.from;
  if (id !== undefined) spec.id = id;
  if (m.mode !== undefined) spec.mode = m.mode;
  if (m.uid !== undefined) spec.uid = m.uid;
  if (m.gid !== undefined) spec.gid = m.gid;
  if (m.sizeLimit) spec.size = m.sizeLimit;
  if (m.env) spec.env = m.env;
  return spec;
}

/** Where a bind's source is read from: the context, or a stage's or image's mounted rootfs. */
export interface MountSources {
  contextRoot: string;
  /** The rootfs of `from` (a stage name or index, or an image), mounted for the step; undefined for a stage on scratch. */
  rootfsOf(from: string): Promise<string | undefined>;
  secrets: ReadonlyMap<string, Buffer>;
  /** `<data-root>/builder`. */
  builderDir: string;
}

export interface PreparedMounts {
  mounts: Mount[];
  /** `NAME=value` of secrets given as environment variables (`env=`): for the step's process only. */
  env: string[];
  /** Undo what was made for the step (private files, locks). Idempotent. */
  release(): Promise<void>;
}

const cacheLocks = new KeyedLock();
const cacheInUse = new Map<string, number>();

function inside(root: string, rel: string): string {
  const p = path.join(root, path.posix.normalize(`/${rel ?? ''}`));
  if (p !== root && !p.startsWith(`${root}/`)) throw new InvalidParameterError(`invalid mount source ${rel}`);
  return p;
}

export async function prepareRunMounts(specs: readonly RunMountSpec[], src: MountSources): Promise<PreparedMounts> {
  const mounts: Mount[] = [];
  const env: string[] = [];
  const undo: (() => Promise<void>)[] = [];
  const release = async (): Promise<void> => {
    for (const u of undo.splice(0).reverse()) await u();
  };
  try {
    for (const spec of specs) {
      switch (spec.type) {
        case 'bind': {
          const root = spec.from ? await src.rootfsOf(spec.from) : src.contextRoot;
          let source = root ? inside(root, spec.source ?? '/') : undefined;
          if (!source) throw new InvalidParameterError(`failed to compute cache key: "${spec.source ?? '/'}" not found`);
          await fs.lstat(source).catch(() => {
            throw new InvalidParameterError(`failed to compute cache key: "/${(spec.source ?? '').replace(/^\/+/, '')}" not found`);
          });
          if (!spec.readonly) {
            // Writes to a read-write bind are the step's own: a private copy takes them.
            const copy = path.join(src.builderDir, 'tmp', `bind-${randomBytes(8).toString('hex')}`);
            await fs.mkdir(path.dirname(copy), { recursive: true });
            await fs.cp(source, copy, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
            undo.push(() => fs.rm(copy, { recursive: true, force: true }));
            source = copy;
          }
          mounts.push({ Type: 'bind', Source: source, Target: spec.target, ReadOnly: spec.readonly });
          break;
        }
        case 'cache': {
          const id = spec.id ?? spec.target;
          const hash = createHash('sha256').update(id).digest('hex');
          let dir = path.join(src.builderDir, 'cache-mounts', hash);
          if (spec.sharing === 'locked') {
            let unlock!: () => void;
            const held = new Promise<void>((r) => (unlock = r));
            let acquired!: () => void;
            const gotIt = new Promise<void>((r) => (acquired = r));
            void cacheLocks.run(hash, () => {
              acquired();
              return held;
            });
            await gotIt;
            undo.push(async () => unlock());
          } else if (spec.sharing === 'private' && (cacheInUse.get(hash) ?? 0) > 0) {
            dir = path.join(src.builderDir, 'tmp', `cache-${randomBytes(8).toString('hex')}`);
            const throwaway = dir;
            undo.push(() => fs.rm(throwaway, { recursive: true, force: true }));
          }
          cacheInUse.set(hash, (cacheInUse.get(hash) ?? 0) + 1);
          undo.push(async () => {
            const n = (cacheInUse.get(hash) ?? 1) - 1;
            if (n > 0) cacheInUse.set(hash, n);
            else cacheInUse.delete(hash);
          });
          if (!(await fs.stat(dir).catch(() => undefined))) {
            await fs.mkdir(path.dirname(dir), { recursive: true });
            const temp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
            await fs.mkdir(temp);
            await fs.chmod(temp, spec.mode ?? 0o755);
            await fs.chown(temp, spec.uid ?? 0, spec.gid ?? 0);
            await fs.rename(temp, dir).catch(async () => fs.rm(temp, { recursive: true, force: true })); // another step made it first
          }
          mounts.push({ Type: 'bind', Source: dir, Target: spec.target, ReadOnly: spec.readonly });
          break;
        }
        case 'tmpfs':
          mounts.push({ Type: 'tmpfs', Target: spec.target, ...(spec.size ? { TmpfsOptions: { SizeBytes: spec.size } } : {}) });
          break;
        case 'secret': {
          const content = src.secrets.get(spec.id!);
          if (!content) {
            if (spec.required) throw new InvalidParameterError(`secret ${spec.id}: not found`);
            break;
          }
          if (spec.env) env.push(`${spec.env}=${content.toString('utf8')}`);
          if (!spec.target) break;
          const dir = path.join(src.builderDir, 'tmp', `secret-${randomBytes(8).toString('hex')}`);
          await fs.mkdir(dir, { recursive: true, mode: 0o700 });
          undo.push(() => fs.rm(dir, { recursive: true, force: true }));
          const file = path.join(dir, 'secret');
          await fs.writeFile(file, content, { mode: 0o600 });
          await fs.chown(file, spec.uid ?? 0, spec.gid ?? 0);
          await fs.chmod(file, spec.mode ?? 0o400);
          mounts.push({ Type: 'bind', Source: file, Target: spec.target, ReadOnly: true });
          break;
        }
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { mounts, env, release };
}
