/**
 * One stage, as dockerd's dispatchDockerfileWithCancellation runs it:
 * `Step n/m : FROM …`, the base resolved (an earlier stage, scratch, a local
 * image, else pulled), the base's ONBUILD triggers run (`# Executing 1
 * build trigger`), ` ---> <id>`; then each instruction: `Step n/m : …`, its
 * words expanded with the Env and the stage's build args, dispatched,
 * ` ---> <id>`. The request's labels are LABEL steps at the end of the last
 * stage. Each stage's image is announced (`aux` ID) when it ends.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import type { ProgressSink } from '../progress-event.ts';
import type { BuildRun, StageResult } from './build-run.ts';
import { commitMetadata, say } from './commit-step.ts';
import { dispatchCopy, dispatchWorkdir } from './copy-step.ts';
import type { Instruction, KeyValueInstruction, Stage } from './dockerfile/ast.ts';
import { parseInstruction } from './dockerfile/parse-dockerfile.ts';
import { expandWord, expandWords } from './dockerfile/shell-words.ts';
import { applyMetadata, isMetadata, type Expander } from './metadata-steps.ts';
import { dispatchRun } from './run-step.ts';
import { expansionEnv, initialRunConfig, withCommentCmd, type StageState } from './stage-state.ts';
import { scratchImageConfig, shortId } from './step-image.ts';

/** Word expansion with these values and the Dockerfile's escape character. */
export function expanderOf(values: ReadonlyMap<string, string>, escape: '\\' | '`'): Expander {
  const lookup = (name: string) => values.get(name);
  return { word: (w) => expandWord(w, lookup, escape), words: (w) => expandWords(w, lookup, escape) };
}

function expander(run: BuildRun, state: StageState): Expander {
  return expanderOf(expansionEnv(state), run.dockerfile.directives.escape);
}

/** The meta args' expander (FROM lines, --platform). */
export function metaExpander(run: Pick<BuildRun, 'metaArgs' | 'dockerfile'>): Expander {
  return expanderOf(run.metaArgs.metaValues(), run.dockerfile.directives.escape);
}

async function dispatch(run: BuildRun, state: StageState, ins: Instruction, out: ProgressSink): Promise<void> {
  const x = expander(run, state);
  switch (ins.kind) {
    case 'RUN':
      return dispatchRun(run, state, ins, x, out);
    case 'COPY':
    case 'ADD':
      return dispatchCopy(run, state, ins, x, out);
    case 'WORKDIR':
      return dispatchWorkdir(run, state, ins, x, out);
    case 'FROM':
      throw new InvalidParameterError('FROM isn\'t allowed as an ONBUILD trigger');
    default: {
      if (!isMetadata(ins)) throw new InvalidParameterError(`unsupported command type: ${(ins as Instruction).kind}`);
      const { comment, note } = applyMetadata(state, ins, x);
      if (note) await say(out, note);
      return commitMetadata(run, state, withCommentCmd(state.runConfig, comment), out);
    }
  }
}

/** The request's labels as LABEL steps, sorted by key (buildLabelOptions), not expanded. */
function labelSteps(labels: Record<string, string>): KeyValueInstruction[] {
  return Object.keys(labels)
    .sort()
    .map((key) => ({ kind: 'LABEL', line: 0, endLine: 0, raw: `LABEL ${key}=${labels[key]}`, flags: [], pairs: [{ key, value: labels[key]! }] }));
}

const LITERAL: Expander = { word: (w) => w, words: (w) => [w] };

async function stepLine(out: ProgressSink, n: number, total: number, raw: string): Promise<void> {
  await say(out, `Step ${n}/${total} : ${raw}`);
  await say(out, '\n');
}

async function stageBase(run: BuildRun, stage: Stage, out: ProgressSink): Promise<StageResult | undefined> {
  const meta = metaExpander(run);
  const name = meta.word(stage.from.image);
  if (name === '') throw new InvalidParameterError(`base name (${stage.from.image}) should not be blank`);
  // FROM names an earlier stage by its name only (no index, unlike COPY --from).
  const j = run.plan.stages.findIndex((s) => s.index < stage.index && s.name === name.toLowerCase());
  if (j >= 0) {
    const r = await run.stage(j);
    return r.imageId ? { ...r, runConfig: r.image.config ?? {} } : r;
  }
  if (name.toLowerCase() === 'scratch') return undefined;
  const platformFlag = stage.from.flags.find((f) => f.name === 'platform')?.value;
  const imageId = await run.baseImage(name, platformFlag === undefined ? run.options.platform : meta.word(platformFlag), out);
  const image = run.deps.images.get(imageId)!;
  return { imageId, image: image.config, runConfig: image.config.config ?? {} };
}

export async function buildStage(run: BuildRun, stage: Stage, out: ProgressSink, isLast: boolean): Promise<StageResult> {
  const { total, firstStep } = run.plan;
  let step = firstStep[stage.index]!;
  await stepLine(out, step++, total, stage.from.raw);
  const base = await stageBase(run, stage, out);
  const state: StageState = {
    index: stage.index,
    imageId: base?.imageId,
    image: base?.image ?? scratchImageConfig(run.platform),
    runConfig: initialRunConfig(base?.runConfig),
    cmdSet: false,
    args: run.metaArgs.forStage(),
  };
  if (stage.name) state.name = stage.name;
  state.runConfig.Image = state.imageId ?? '';
  const triggers = state.runConfig.OnBuild ?? [];
  if (triggers.length > 0) {
    state.runConfig.OnBuild = null;
    await say(out, `# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}`);
    await say(out, '\n');
    for (const trigger of triggers) {
      state.runConfig.Image = state.imageId ?? '';
      await dispatch(run, state, parseInstruction(trigger, run.dockerfile.directives.escape), out);
    }
  }
  state.runConfig.Image = state.imageId ?? '';
  await say(out, ` ---> ${shortId(state.imageId)}\n`);
  const steps: Instruction[] = [...stage.instructions, ...(isLast ? labelSteps(run.options.labels) : [])];
  const literal = new Set<Instruction>(isLast ? steps.slice(stage.instructions.length) : []);
  for (const ins of steps) {
    if (run.signal.aborted) {
      await say(out, 'Build cancelled\n');
      throw run.signal.reason instanceof Error ? run.signal.reason : new InvalidParameterError('Build cancelled');
    }
    await stepLine(out, step++, total, ins.raw);
    if (literal.has(ins) && ins.kind === 'LABEL') {
      const { comment } = applyMetadata(state, ins, LITERAL);
      await commitMetadata(run, state, withCommentCmd(state.runConfig, comment), out);
    } else {
      await dispatch(run, state, ins, out);
    }
    state.runConfig.Image = state.imageId ?? '';
    await say(out, ` ---> ${shortId(state.imageId)}\n`);
  }
  if (state.imageId) await out({ kind: 'built', id: state.imageId as never });
  return { imageId: state.imageId, image: state.image, runConfig: state.runConfig };
}
