/**
 * `berth compose watch [SERVICE...]`: bring the project up (unless
 * --no-up; services that have both `build` and `develop` are built
 * afresh), then apply each service's develop.watch rules to file changes
 * until Ctrl+C or SIGTERM, which end it as Docker Compose does: status 130
 * and "canceled" on stderr. Also the watch half of `up --watch`.
 */
import type { Cli } from '../../cli.ts';
import { StatusError } from '../../errors.ts';
import type { Project } from '../../../compose/load/model.ts';
import { logName } from '../../../compose/logs.ts';
import { nameOf, projectContainers, serviceOf, type ComposeEnv } from '../../../compose/state.ts';
import { up } from '../../../compose/up.ts';
import { startWatch, WatchConfigError, type Watch } from '../../../compose/watch.ts';
import { InvalidParameterError } from '../../../util/errors.ts';
import type { ComposeCommandSpec } from './index.ts';
import { composeBuilder, openSession } from './session.ts';

export const command: ComposeCommandSpec = {
  usage: '[SERVICE...]',
  short: 'Sync, restart or rebuild service containers as their files change',
  flags: [
    { long: 'no-up', type: 'bool', usage: 'Only watch: do not build and start the services first' },
    { long: 'prune', type: 'bool', usage: 'Remove dangling images of the project after each rebuild' },
    { long: 'quiet', type: 'bool', usage: 'Do not show the output of builds' },
  ],
  async run({ cli, flags, args, compose }) {
    const { project, env } = openSession(cli, compose, args);
    for (const a of args) if (!project.services[a]) throw new StatusError(`no such service: ${a}`, 1);
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      if (!flags.bool('no-up')) {
        for (const s of Object.values(project.services)) if (s.build && s['develop'] !== undefined) s.pull_policy = 'build';
        // The loaded project holds the named services and their dependencies (all of them without names).
        await up(env, project, { services: [], builder: composeBuilder(flags.bool('quiet') ? silenced(cli) : cli), signal: controller.signal });
      }
      if (controller.signal.aborted) throw new StatusError('canceled', 130);
      const w = await begin(cli, env, project, args, { prune: flags.bool('prune'), quiet: flags.bool('quiet') }, (line) => cli.out.write(`${line}\n`));
      const ended = await Promise.race([w.done.then(() => false), new Promise<boolean>((resolve) => controller.signal.addEventListener('abort', () => resolve(true), { once: true }))]);
      await w.stop();
      if (ended) throw new StatusError('canceled', 130);
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  },
};

/** The CLI with its stderr (where compose's builds print) discarded: --quiet. Errors still end the command. */
function silenced(cli: Cli): Cli {
  return Object.create(cli, { err: { value: { write: () => true, isTTY: false } } }) as Cli;
}

async function begin(cli: Cli, env: ComposeEnv, project: Project, services: string[], o: { prune: boolean; quiet: boolean }, log: (line: string) => void): Promise<Watch> {
  try {
    return await startWatch(env, project, {
      services,
      log,
      build: { builder: composeBuilder(o.quiet ? silenced(cli) : cli) },
      prune: o.prune,
      execOutput: (stream, data) => (stream === 2 ? cli.err : cli.out).write(data),
    });
  } catch (err) {
    if (err instanceof WatchConfigError || err instanceof InvalidParameterError) throw new StatusError(err.message, 1);
    throw err;
  }
}

/**
 * `up --watch`: the watch beside the attached logs, its lines under the
 * log prefixes' column (` ⦿ `, bright green on a terminal) as Compose prints them.
 */
export async function watchForUp(cli: Cli, env: ComposeEnv, project: Project, services: string[], color: boolean): Promise<Watch> {
  const containers = (await projectContainers(env.api, project.name)).filter((c) => services.length === 0 || services.includes(serviceOf(c)));
  const width = Math.max(0, ...containers.map((c) => logName(project.name, nameOf(c), c.Labels).length)) + 1;
  const prefix = `${' '.repeat(width)} ⦿ `;
  const colored = color ? `\x1b[92m${prefix}\x1b[0m` : prefix;
  // Compose builds quietly on rebuilds under up --watch.
  return begin(cli, env, project, services, { prune: false, quiet: true }, (line) => cli.out.write(`${colored}${line}\n`));
}
