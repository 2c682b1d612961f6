/**
 * The builder in-process: an Engine on temp roots with busybox
 * bootstrapped, Dockerfiles built from temp context directories, images
 * run through the ContainerRunner, and the checks every test ends with (no
 * container, no mount of the test's roots left).
 */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Engine } from '../../../src/engine/engine.ts';
import { directoryContext } from '../../../src/engine/build/context.ts';
import type { BuildOptions } from '../../../src/engine/build/build-service.ts';
import type { OutputChunk } from '../../../src/engine/build/container-runner.ts';
import type { ProgressEvent } from '../../../src/engine/progress-event.ts';
import { cleanupRoots } from '../../helpers/daemon.ts';

export interface BuilderFixture {
  engine: Engine;
  dataRoot: string;
  execRoot: string;
  /** A fresh context directory with these files (`Dockerfile` among them). */
  context(files: Record<string, string>): Promise<string>;
  build(dir: string, options?: Partial<BuildOptions>, signal?: AbortSignal): Promise<{ id: string; output: string; events: ProgressEvent[] }>;
  /** Runs `cmd` in the image; its stdout (stderr appended after a NUL when not empty). */
  run(image: string, cmd: string[], config?: Record<string, unknown>): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Opens a second Engine on the same roots (the first one closed): a daemon restart. */
  restart(): Promise<Engine>;
}

export function buildOptions(o: Partial<BuildOptions> = {}): BuildOptions {
  return {
    tags: [],
    buildArgs: {},
    labels: {},
    noCache: false,
    pull: false,
    remove: true,
    forceRemove: false,
    quiet: false,
    extraHosts: [],
    resources: {},
    cacheFrom: [],
    secrets: new Map(),
    registryAuth: {},
    ...o,
  };
}

export function outputOf(events: readonly ProgressEvent[]): string {
  return events.map((e) => (e.kind === 'output' ? e.text : e.kind === 'built' ? `[built ${e.id}]\n` : '')).join('');
}

async function mountsUnder(prefixes: string[]): Promise<string[]> {
  const text = await fs.readFile('/proc/mounts', 'utf8');
  return text
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => prefixes.some((p) => m.startsWith(p)));
}

export async function openBuilder(t: TestContext): Promise<BuilderFixture> {
  const tag = randomBytes(4).toString('hex');
  const base = `/tmp/berth-test/${tag}`;
  const dataRoot = `${base}/data`;
  const execRoot = `/run/bb-${tag}`;
  let engine = new Engine({ dataRoot, execRoot });
  await engine.open();
  await engine.images.bootstrapBusybox();
  let contexts = 0;
  const fixture: BuilderFixture = {
    get engine() {
      return engine;
    },
    dataRoot,
    execRoot,
    async context(files) {
      const dir = path.join(base, `ctx-${contexts++}`);
      for (const [name, content] of Object.entries(files)) {
        await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
        await fs.writeFile(path.join(dir, name), content);
      }
      return dir;
    },
    async build(dir, options = {}, signal = new AbortController().signal) {
      const events: ProgressEvent[] = [];
      const ctx = await directoryContext(dir);
      try {
        const id = await engine.builder.build(ctx, buildOptions(options), (e) => void events.push(e), signal);
        return { id, output: outputOf(events), events };
      } catch (err) {
        (err as { output?: string }).output = outputOf(events);
        throw err;
      } finally {
        await ctx.close();
      }
    },
    async run(image, cmd, config = {}) {
      const id = await engine.runner.create({ image, config: { Cmd: cmd, ...config } });
      const chunks: OutputChunk[] = [];
      try {
        const code = await engine.runner.run(id, (c) => void chunks.push(c));
        const text = (s: string) => Buffer.concat(chunks.filter((c) => c.stream === s).map((c) => c.data)).toString('utf8');
        return { code, stdout: text('stdout'), stderr: text('stderr') };
      } finally {
        await engine.runner.remove(id);
      }
    },
    async restart() {
      await engine.close();
      engine = new Engine({ dataRoot, execRoot });
      await engine.open();
      return engine;
    },
  };
  t.after(async () => {
    const left = engine.containers.store.all().map((c) => c.id);
    for (const id of left) await engine.containers.remove(id, { force: true, volumes: true }).catch(() => undefined);
    await engine.close();
    const mounts = await mountsUnder([dataRoot, execRoot]);
    await cleanupRoots(dataRoot, execRoot);
    await fs.rm(base, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no container is left behind');
    assert.deepEqual(mounts, [], 'no mount is left behind');
  });
  return fixture;
}
