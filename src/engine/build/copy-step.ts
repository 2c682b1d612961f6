/**
 * COPY, ADD and WORKDIR: the steps that write files without running
 * anything. COPY/ADD go through the Copier (prepare → key → apply on a
 * miss → dispose); the history says `COPY file:<sum> in /dst ` as dockerd
 * writes it. `--from` names a stage (by name or index) or an image, whose
 * rootfs is mounted for the copy. WORKDIR creates its directory in a layer,
 * as the classic builder does (an empty layer when it exists).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidParameterError } from '../../util/errors.ts';
import type { ProgressSink } from '../progress-event.ts';
import type { BuildRun } from './build-run.ts';
import { commitFiles, probeCache, stepKey } from './commit-step.ts';
import type { CopyRequest, CopySourceRoot, PreparedCopy } from './copier.ts';
import type { CopyInstruction, WorkdirInstruction } from './dockerfile/ast.ts';
import { normalizeWorkdir, type Expander } from './metadata-steps.ts';
import { stageRef } from './stage-plan.ts';
import { withCommentString, type StageState } from './stage-state.ts';

const HEREDOC_WORD = /^<<-?(["']?)([^\s"']+)\1$/;

function flag(ins: CopyInstruction, name: string): string | undefined {
  let v: string | undefined;
  for (const f of ins.flags) if (f.name === name) v = f.value ?? 'true';
  return v;
}

/** Variables in a heredoc body (unless its delimiter was quoted): `$X`, `${X}`, `${X:-y}`. */
function expandHeredoc(content: string, x: Expander): string {
  return content.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, (m) => x.word(m));
}

/** Where `--from` reads: a stage's or an image's rootfs, mounted through a created container (or nothing for scratch). */
async function sourceRoot(run: BuildRun, state: StageState, from: string | undefined, out: ProgressSink): Promise<{ root: CopySourceRoot; release(): Promise<void> }> {
  if (from === undefined) {
    return { root: { kind: 'context', root: run.context.root, entries: run.context.entries }, release: async () => undefined };
  }
  const j = stageRef(run.plan.stages, state.index, from);
  const imageId = j !== undefined ? (await run.stage(j)).imageId : await run.baseImage(from, undefined, out);
  if (imageId === undefined) {
    // A stage on scratch without a step: an empty root.
    const dir = path.join(run.builderDir, 'tmp', `empty-${process.hrtime.bigint()}`);
    await fs.mkdir(dir, { recursive: true });
    return { root: { kind: 'image', root: dir, imageId: 'scratch' }, release: () => fs.rm(dir, { recursive: true, force: true }) };
  }
  const { runner } = run.deps;
  const id = await runner.create({ image: imageId, config: { Cmd: ['#(nop) COPY --from'] } });
  try {
    const root = await runner.withRootfs(id, async (r) => r);
    return { root: { kind: 'image', root, imageId }, release: () => runner.remove(id) };
  } catch (err) {
    await runner.remove(id).catch(() => undefined);
    throw err;
  }
}

export async function dispatchCopy(run: BuildRun, state: StageState, ins: CopyInstruction, x: Expander, out: ProgressSink): Promise<void> {
  const heredocNames = new Set(ins.heredocs.map((h) => h.name));
  const sources: string[] = [];
  for (const s of ins.sources) {
    const m = HEREDOC_WORD.exec(s);
    if (m && heredocNames.has(m[2]!)) continue;
    sources.push(x.word(s));
  }
  const from = flag(ins, 'from');
  if (from !== undefined && ins.kind === 'ADD') throw new InvalidParameterError('ADD does not support --from');
  const chown = flag(ins, 'chown');
  const chmod = flag(ins, 'chmod');
  const checksum = flag(ins, 'checksum');
  const request: CopyRequest = {
    instruction: ins.kind,
    sources,
    inline: ins.heredocs.map((h) => ({ name: h.name, content: h.expand ? expandHeredoc(h.content, x) : h.content })),
    dest: x.word(ins.dest),
    workdir: state.runConfig.WorkingDir || '/',
    link: flag(ins, 'link') === 'true',
    excludes: ins.flags.filter((f) => f.name === 'exclude' && f.value !== undefined).map((f) => x.word(f.value!)),
    signal: run.signal,
  };
  if (chown !== undefined) request.chown = x.word(chown);
  if (chmod !== undefined) request.chmod = x.word(chmod);
  if (checksum !== undefined) request.checksum = x.word(checksum);
  const source = await sourceRoot(run, state, from, out);
  let prepared: PreparedCopy | undefined;
  try {
    prepared = await run.deps.copier.prepare(request, source.root);
    const chownNote = request.chown ? `--chown=${request.chown} ` : '';
    const containerConfig = withCommentString(state.runConfig, `${ins.kind} ${chownNote}${prepared.key} in ${request.dest} `);
    const extra = { chmod: request.chmod, from: source.root.kind === 'image' ? source.root.imageId : undefined, link: request.link || undefined };
    const key = stepKey(state, containerConfig, extra);
    if (await probeCache(run, state, key, containerConfig, out)) return;
    const copy = prepared;
    await commitFiles(run, state, { key, containerConfig, containerLines: false, write: (rootfs) => copy.apply(rootfs, run.signal) }, out);
  } finally {
    await prepared?.dispose();
    await source.release();
  }
}

/** mkdir -p inside a root, symlinks resolved within it (a link to `/x` means `<root>/x`). */
async function mkdirInRoot(root: string, dir: string): Promise<void> {
  let current = root;
  const parts = dir.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '..') {
      current = current === root ? root : path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    const st = await fs.lstat(next).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      const target = await fs.readlink(next);
      const rest = parts.slice(i + 1).join('/');
      const base = target.startsWith('/') ? target : path.posix.join(path.relative(root, current) || '.', target);
      return mkdirInRoot(root, `${base}/${rest}`);
    }
    if (!st) await fs.mkdir(next, { mode: 0o755 });
    else if (!st.isDirectory()) throw new InvalidParameterError(`mkdir ${dir}: not a directory`);
    current = next;
  }
}

export async function dispatchWorkdir(run: BuildRun, state: StageState, ins: WorkdirInstruction, x: Expander, out: ProgressSink): Promise<void> {
  const c = state.runConfig;
  c.WorkingDir = normalizeWorkdir(c.WorkingDir, x.word(ins.path));
  const containerConfig = withCommentString(c, `WORKDIR ${c.WorkingDir}`);
  const key = stepKey(state, containerConfig);
  if (await probeCache(run, state, key, containerConfig, out)) return;
  const dir = c.WorkingDir;
  await commitFiles(run, state, { key, containerConfig, containerLines: true, write: (rootfs) => mkdirInRoot(rootfs, dir) }, out);
}
