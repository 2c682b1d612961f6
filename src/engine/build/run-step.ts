/**
 * RUN: the command in a throwaway container on the stage's image, through
 * the engine's own container services (ContainerRunner), with the config's
 * Env plus the stage's build args (not recorded in the image), the build's
 * network and resources, and its `--mount`s; then its changes committed as
 * the next image. The cache key is dockerd's: the command as recorded
 * (`|2 A=1 B=2 /bin/sh -c make`, build args counted and listed, the proxy
 * args only when declared) plus the mounts and network the classic builder
 * did not have.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImageRunConfig } from '../../oci/image.ts';
import { InvalidParameterError, SystemError } from '../../util/errors.ts';
import type { HostConfig } from '../../wire/container-config.ts';
import type { ProgressSink } from '../progress-event.ts';
import type { BuildRun } from './build-run.ts';
import { probeCache, recordStep, say, stepKey } from './commit-step.ts';
import type { RunInstruction } from './dockerfile/ast.ts';
import { CommandFailedError } from './errors.ts';
import type { Expander } from './metadata-steps.ts';
import { commandLine } from './metadata-steps.ts';
import { parseRunMount, prepareRunMounts, type RunMountSpec } from './run-mounts.ts';
import { asContainerConfig, copyRunConfig, shellOf, type StageState } from './stage-state.ts';
import { newStepContainerId, shortId } from './step-image.ts';
import { stageRef } from './stage-plan.ts';

/** A lone heredoc starting with `#!` runs as an executable file (BuildKit mounts it under /dev/pipes). */
export function shebangScript(ins: RunInstruction): { name: string; content: string } | undefined {
  const form = ins.command;
  const only = ins.heredocs.length === 1 ? ins.heredocs[0]! : undefined;
  if (form.form === 'exec' || !only || !/^<<-?["']?[^\s"']+["']?$/.test(form.command.trim())) return undefined;
  return only.content.startsWith('#!') ? { name: only.name, content: only.content } : undefined;
}

/** The argv of a RUN, heredocs included (a lone `<<EOF` runs its body as the script). */
export function runArgv(ins: RunInstruction, c: ImageRunConfig): string[] {
  const form = ins.command;
  if (form.form === 'exec' || ins.heredocs.length === 0) return commandLine(form, c);
  const only = ins.heredocs.length === 1 ? ins.heredocs[0]! : undefined;
  if (only && /^<<-?["']?[^\s"']+["']?$/.test(form.command.trim())) return [...shellOf(c), only.content];
  let text = form.command;
  for (const h of ins.heredocs) text += `\n${h.content}${h.name}`;
  return [...shellOf(c), text];
}

/** dockerd's prependEnvOnCmd: `|<n> A=1 B=2` before the command (proxy args left out unless declared). */
function savedCmd(state: StageState, args: string[], cmd: string[]): string[] {
  if (args.length === 0) return cmd;
  const kept = args.filter((a) => state.args.isReferencedOrNotBuiltin(a.split('=', 1)[0]!)).sort();
  return [`|${kept.length}`, ...kept, ...cmd];
}

function hostConfig(run: BuildRun, network: string | undefined): HostConfig {
  const o = run.options;
  const r = o.resources;
  const mode = network === 'none' || network === 'host' ? network : o.networkMode && o.networkMode !== 'default' ? o.networkMode : 'default';
  const hc: HostConfig = { NetworkMode: mode };
  if (o.extraHosts.length) hc.ExtraHosts = [...o.extraHosts];
  if (r.memory) hc.Memory = r.memory;
  if (r.memorySwap) hc.MemorySwap = r.memorySwap;
  if (r.cpuShares) hc.CpuShares = r.cpuShares;
  if (r.cpuQuota) hc.CpuQuota = r.cpuQuota;
  if (r.cpuPeriod) hc.CpuPeriod = r.cpuPeriod;
  if (r.cpusetCpus) hc.CpusetCpus = r.cpusetCpus;
  if (r.cpusetMems) hc.CpusetMems = r.cpusetMems;
  if (r.shmSize) hc.ShmSize = r.shmSize;
  return hc;
}

/** The image a `from=` names (a stage or an image) and a way to mount it, for RUN --mount=type=bind,from=… */
async function fromImage(run: BuildRun, state: StageState, from: string, out: ProgressSink): Promise<string | undefined> {
  const j = stageRef(run.plan.stages, state.index, from);
  if (j !== undefined) return (await run.stage(j)).imageId;
  return run.baseImage(from, undefined, out);
}

export async function dispatchRun(run: BuildRun, state: StageState, ins: RunInstruction, x: Expander, out: ProgressSink): Promise<void> {
  const { runner } = run.deps;
  const network = ins.flags.find((f) => f.name === 'network')?.value;
  const net = network === undefined ? undefined : x.word(network);
  if (net !== undefined && !['none', 'host', 'default'].includes(net)) throw new InvalidParameterError(`unsupported network mode ${net}`);
  const specs: RunMountSpec[] = ins.flags.filter((f) => f.name === 'mount').map((f) => parseRunMount(f.value ?? '', x.word));
  // What the mounts read, resolved before the key: a stage's or image's ID changes the key.
  const fromIds = new Map<string, string | undefined>();
  for (const s of specs) if (s.from !== undefined && !fromIds.has(s.from)) fromIds.set(s.from, await fromImage(run, state, s.from, out));

  const c = state.runConfig;
  const cmd = runArgv(ins, c);
  const args = state.args.filterAllowed(c.Env ?? []);
  const saveCmd = savedCmd(state, args, cmd);
  const probeConfig = copyRunConfig(c, { Cmd: saveCmd, ...(saveCmd.length > 0 ? { Entrypoint: null } : {}) });
  delete probeConfig.ArgsEscaped;
  const extra = specs.length || net ? { mounts: specs.map((s) => ({ ...s, from: s.from === undefined ? undefined : (fromIds.get(s.from) ?? 'scratch') })), network: net } : null;
  const key = stepKey(state, probeConfig, extra);
  if (await probeCache(run, state, key, probeConfig, out)) return;

  if (state.imageId === undefined) {
    // A stage still on scratch has nothing to run (dockerd's runtime fails the same way, after the same lines).
    const fake = newStepContainerId();
    await say(out, ` ---> Running in ${shortId(fake)}\n`);
    if (run.options.forceRemove) await say(out, `Removing intermediate container ${shortId(fake)}\n`);
    throw new SystemError(`failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: ${JSON.stringify(cmd[0] ?? '')}: stat ${cmd[0] ?? ''}: no such file or directory: unknown`);
  }
  // The command goes in as Entrypoint[0] + Cmd: no image ENTRYPOINT or CMD can join it (dockerd's [""] entrypoint).
  const mountRoots: string[] = [];
  const fromContext = specs.filter((s) => s.type === 'bind' && !s.from);
  if (fromContext.length > 0) await run.context.ready?.(fromContext.map((s) => s.source ?? '/'));
  const prepared = await prepareRunMounts(specs, {
    contextRoot: run.context.root,
    secrets: run.options.secrets,
    builderDir: run.builderDir,
    rootfsOf: async (from) => {
      const image = fromIds.get(from);
      if (image === undefined) return undefined;
      const id = await runner.create({ image, config: { Cmd: ['#(nop) mount'] } });
      mountRoots.push(id);
      return runner.withRootfs(id, async (root) => root);
    },
  });
  const script = shebangScript(ins);
  let exec = cmd;
  if (script) {
    // Its own interpreter runs it: written to a private file, bind-mounted read-only (under /dev, a tmpfs: never in the layer).
    const dir = path.join(run.builderDir, 'tmp', `script-${randomBytes(8).toString('hex')}`);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(dir, 'script'), script.content, { mode: 0o755 });
    const release = prepared.release;
    prepared.release = async () => {
      await release();
      await fs.rm(dir, { recursive: true, force: true });
    };
    const target = `/dev/pipes/${script.name}`;
    prepared.mounts.push({ Type: 'bind', Source: path.join(dir, 'script'), Target: target, ReadOnly: true });
    exec = [target];
  }
  const stepConfig = copyRunConfig(c, { Entrypoint: exec.slice(0, 1), Cmd: exec.slice(1), Env: [...(c.Env ?? []), ...args, ...prepared.env], Healthcheck: { Test: ['NONE'] } });
  delete stepConfig.Image;
  let id: string | undefined;
  let ok = false;
  try {
    id = await runner.create({ image: state.imageId, config: asContainerConfig(stepConfig), hostConfig: { ...hostConfig(run, net), ...(prepared.mounts.length ? { Mounts: prepared.mounts } : {}) } });
    await say(out, ` ---> Running in ${shortId(id)}\n`);
    const code = await runner.run(
      id,
      async (chunk) => {
        const text = chunk.data.toString('utf8');
        await say(out, chunk.stream === 'stderr' ? `\u001b[91m${text}\u001b[0m` : text);
      },
      run.signal,
    );
    if (code !== 0) throw new CommandFailedError(cmd, code);
    const containerId = id;
    await run.deps.images.hold(async () => {
      const layer = await runner.layer(containerId, { mountPoints: specs.map((s) => s.target).filter((t) => t !== '') });
      await recordStep(run, state, { key, containerConfig: probeConfig, containerId, ...(layer ? { layer } : {}) });
    });
    ok = true;
  } finally {
    await prepared.release();
    for (const m of mountRoots) await runner.remove(m).catch(() => undefined);
    // dockerd keeps a failed step's container unless forcerm; the issue asks that a failed build leave no
    // container (nor its mounts) behind, so it goes too, silently (the output stays dockerd's). rm=false keeps all.
    const { remove, forceRemove } = run.options;
    if (id !== undefined && (forceRemove || remove || run.signal.aborted)) {
      await runner.remove(id).catch(() => undefined);
      if (!run.signal.aborted && (ok || forceRemove)) await say(out, `Removing intermediate container ${shortId(id)}\n`);
    }
  }
}
