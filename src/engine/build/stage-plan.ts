/**
 * Which stages a build runs and how they depend on each other. The classic
 * builder ran every stage up to the target in order; Berth runs only those
 * the target needs (its FROM chain, `COPY --from`, `RUN --mount from=`),
 * independent ones at the same time, but numbers steps as dockerd does
 * (`Step 5/12`: every instruction of every stage up to the target, the
 * ARGs before the first FROM and the request's labels counted). Pure.
 */
import type { Dockerfile, Instruction, Stage } from './dockerfile/ast.ts';
import { parseRunMount } from './run-mounts.ts';
import { badStageRef, unknownTarget } from './errors.ts';

export interface StagePlan {
  /** The stages up to the target. */
  stages: Stage[];
  /** Stage indexes to build, ascending. */
  needed: number[];
  /** Stage index → the stages it waits for. */
  deps: Map<number, Set<number>>;
  /** dockerd's step count. */
  total: number;
  /** Step number of each stage's FROM. */
  firstStep: number[];
}

/** A reference to another stage (`--from=`, a FROM name): its index, or undefined for an image. Throws for the current or a later index. */
export function stageRef(stages: readonly Stage[], current: number, value: string): number | undefined {
  const lower = value.toLowerCase();
  for (let j = 0; j < current; j++) if (stages[j]!.name === lower) return j;
  if (!/^-?\d+$/.test(value)) return undefined;
  const i = Number(value);
  if (i === current) throw badStageRef(value, 'refers to current build stage');
  if (i < 0 || i > current) throw badStageRef(value, 'index out of bounds');
  return i;
}

function flagValues(ins: Instruction, name: string): string[] {
  return ins.flags.filter((f) => f.name === name && f.value !== undefined).map((f) => f.value!);
}

/** dockerd's step count: the ARGs before FROM, every instruction of the stages up to the target, the request's labels. */
export function stepTotal(df: Dockerfile, target: string | undefined, labels: number): number {
  const last = target ? df.stages.findIndex((s) => s.name === target.toLowerCase()) : df.stages.length - 1;
  if (last < 0) throw unknownTarget(target!);
  let total = df.globalArgs.length + labels;
  for (const stage of df.stages.slice(0, last + 1)) total += 1 + stage.instructions.length;
  return total;
}

/**
 * `fromName(stage)`: the stage's FROM image expanded with the meta args.
 * `expandFlag(value)`: a `--from`/`--mount` value expanded with the meta
 * args (an approximation for dependencies only: the step expands it again
 * with its own args).
 */
export function planStages(df: Dockerfile, o: { target?: string; labels: number; fromName(stage: Stage): string; expandFlag(value: string): string }): StagePlan {
  let last = df.stages.length - 1;
  if (o.target) {
    const t = o.target.toLowerCase();
    const i = df.stages.findIndex((s) => s.name === t);
    if (i < 0) throw unknownTarget(o.target);
    last = i;
  }
  const stages = df.stages.slice(0, last + 1);
  const deps = new Map<number, Set<number>>();
  for (const stage of stages) {
    const d = new Set<number>();
    const base = o.fromName(stage).toLowerCase();
    for (let j = 0; j < stage.index; j++) if (stages[j]!.name === base) d.add(j);
    for (const ins of stage.instructions) {
      const refs: string[] = [];
      if (ins.kind === 'COPY') refs.push(...flagValues(ins, 'from'));
      if (ins.kind === 'RUN') {
        for (const m of flagValues(ins, 'mount')) {
          let from: string | undefined;
          try {
            from = parseRunMount(m, o.expandFlag).from;
          } catch {
            // reported by the step itself, with its own args
          }
          if (from) refs.push(from);
        }
      }
      for (const r of refs) {
        const j = stageRef(stages, stage.index, o.expandFlag(r));
        if (j !== undefined) d.add(j);
      }
    }
    deps.set(stage.index, d);
  }
  const needed = new Set<number>();
  const visit = (i: number): void => {
    if (needed.has(i)) return;
    needed.add(i);
    for (const j of deps.get(i) ?? []) visit(j);
  };
  visit(last);
  const firstStep: number[] = [];
  let step = df.globalArgs.length + 1;
  for (const stage of stages) {
    firstStep.push(step);
    step += 1 + stage.instructions.length;
  }
  return { stages, needed: [...needed].sort((a, b) => a - b), deps, total: step - 1 + o.labels, firstStep };
}
