/**
 * `berth compose up`: create and start the project's containers (compose/up.ts);
 * detached (-d) it returns once they are started (or healthy with --wait);
 * attached it prints their logs prefixed until every container has exited,
 * stops them on Ctrl+C ("Gracefully stopping..."), and with
 * --abort-on-container-exit stops all when one exits, exiting with that
 * container's code (or --exit-code-from's service's).
 */
import { containerInspect, containerWait } from '../../../client/containers.ts';
import { stopContainer } from '../../../compose/converge.ts';
import type { ComposeGlobals } from './project-flags.ts';
import { StatusError } from '../../errors.ts';
import type { FlagSpec } from '../../flags.ts';
import { up } from '../../../compose/up.ts';
import { LogPrinter, logName, streamContainerLog } from '../../../compose/logs.ts';
import { nameOf, projectContainers, serviceOf } from '../../../compose/state.ts';
import type { PullPolicy } from '../../../compose/resources.ts';
import type { ComposeCommandSpec } from './index.ts';
import type { Project } from '../../../compose/load/model.ts';
import { composeBuilder, composeEnv, openSession } from './session.ts';
import { watchForUp } from './watch.ts';

export const UP_CREATE_FLAGS: FlagSpec[] = [
  { long: 'build', type: 'bool', usage: 'Build images first' },
  { long: 'force-recreate', type: 'bool', usage: 'Replace containers even when nothing about them changed' },
  { long: 'no-build', type: 'bool', usage: 'Never build images, whatever pull_policy says' },
  { long: 'no-recreate', type: 'bool', usage: 'Keep existing containers as they are (not with --force-recreate)' },
  { long: 'pull', type: 'string', usage: 'When to fetch images first ("always"|"missing"|"never")', def: 'policy' },
  { long: 'quiet-pull', type: 'bool', usage: 'Fetch without printing progress' },
  { long: 'remove-orphans', type: 'bool', usage: 'Also delete containers of services the Compose file no longer has' },
  { long: 'scale', type: 'list', typeName: 'scale', usage: "Run NUM containers of SERVICE, whatever the file's `scale` says" },
];

export function parseScale(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const [name, n] = v.split('=');
    if (!name || n === undefined || !/^\d+$/.test(n)) throw new StatusError(`invalid scale value: ${v}`, 1);
    out[name] = Number(n);
  }
  return out;
}

export function pullPolicy(raw: string): PullPolicy {
  if (raw === '' || raw === 'policy') return undefined;
  if (!['always', 'missing', 'never', 'build'].includes(raw)) throw new StatusError(`invalid --pull option "${raw}"`, 1);
  return raw as PullPolicy;
}

export const command: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: "Create the project's resources and start its containers",
  flags: [
    { long: 'abort-on-container-exit', type: 'bool', usage: 'Stop the project once any container stops (not with -d)' },
    { long: 'always-recreate-deps', type: 'bool', usage: 'Also replace the containers of dependencies (not with --no-recreate)' },
    { long: 'attach', type: 'list', typeName: 'stringArray', usage: 'Show the logs of these services only' },
    { long: 'attach-dependencies', type: 'bool', usage: 'Also show the logs of services the named ones depend on' },
    ...UP_CREATE_FLAGS,
    { long: 'detach', short: 'd', type: 'bool', usage: 'Start in the background and return' },
    { long: 'exit-code-from', type: 'string', usage: "Exit with this service's exit code (sets --abort-on-container-exit)" },
    { long: 'no-attach', type: 'list', typeName: 'stringArray', usage: 'Leave the logs of these services out' },
    { long: 'no-color', type: 'bool', usage: 'Print without colours' },
    { long: 'no-deps', type: 'bool', usage: 'Leave the services it depends on alone' },
    { long: 'no-log-prefix', type: 'bool', usage: 'Leave out the service-name prefix' },
    { long: 'no-start', type: 'bool', usage: 'Create containers but leave them stopped' },
    { long: 'renew-anon-volumes', short: 'V', type: 'bool', usage: "Give recreated containers new anonymous volumes rather than the old containers' ones" },
    { long: 'timeout', short: 't', type: 'int', usage: 'Seconds to wait for containers to stop when they are replaced or the attached session ends' },
    { long: 'timestamps', type: 'bool', usage: 'Prefix each line with its time' },
    { long: 'wait', type: 'bool', usage: 'Return once the services run or are healthy (implies -d)' },
    { long: 'wait-timeout', type: 'int', usage: 'Longest time in seconds --wait waits' },
    { long: 'watch', short: 'w', type: 'bool', usage: 'Also follow the develop.watch rules while attached (see compose watch)' },
  ],
  async run({ cli, flags, args, compose }) {
    const wait = flags.bool('wait');
    const exitCodeFrom = flags.str('exit-code-from');
    const abort = flags.bool('abort-on-container-exit') || exitCodeFrom !== '';
    const attachFlag = flags.list('attach');
    const attachDeps = flags.bool('attach-dependencies');
    const renew = flags.bool('renew-anon-volumes');
    const noRecreate = flags.bool('no-recreate');
    const watch = flags.bool('watch');
    // Compose's checks, in its order.
    if (wait && (attachDeps || abort || attachFlag.length > 0)) throw new StatusError('--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies', 1);
    const detach = flags.bool('detach') || wait;
    if (flags.bool('build') && flags.bool('no-build')) throw new StatusError('--build and --no-build are incompatible', 1);
    if (detach && (attachDeps || abort || attachFlag.length > 0 || watch)) throw new StatusError('--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch', 1);
    if (renew && noRecreate) throw new StatusError('--no-recreate and --renew-anon-volumes are incompatible', 1);
    if (flags.bool('force-recreate') && noRecreate) throw new StatusError('--force-recreate and --no-recreate are incompatible', 1);
    if (flags.bool('always-recreate-deps') && noRecreate) throw new StatusError('--always-recreate-deps and --no-recreate are incompatible', 1);
    if (watch && flags.bool('no-build')) throw new StatusError('--no-build and --watch are incompatible', 1);
    if (attachFlag.length > 0 && attachDeps) throw new StatusError('cannot combine --attach and --attach-dependencies', 1);
    const scale = parseScale(flags.list('scale'));
    const pull = pullPolicy(flags.str('pull'));
    const { project, env } = openSession(cli, compose, flags.bool('no-deps') ? [] : args);
    for (const a of args) if (!project.services[a]) throw new StatusError(`no such service: ${a}`, 1);
    if (exitCodeFrom && !project.services[exitCodeFrom]) throw new StatusError(`no such service: ${exitCodeFrom}`, 1);
    const attachTo = attachSet(project, args, attachFlag, attachDeps, flags.list('no-attach'));
    const timeout = flags.has('timeout') ? flags.int('timeout') : undefined;
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      await up(env, project, {
        // The loaded project holds the named services and their dependencies (all of them without names).
        services: flags.bool('no-deps') ? args : [],
        targets: args,
        build: flags.bool('build'),
        noBuild: flags.bool('no-build'),
        builder: composeBuilder(cli, compose),
        pull,
        quietPull: flags.bool('quiet-pull'),
        forceRecreate: flags.bool('force-recreate'),
        noRecreate,
        recreateDeps: flags.bool('always-recreate-deps'),
        renewAnonVolumes: renew,
        removeOrphans: flags.bool('remove-orphans'),
        scale,
        timeout,
        // Attached, a dry run creates and stops there, as Compose does.
        noStart: flags.bool('no-start') || (compose.dryRun && !detach),
        wait,
        waitTimeout: flags.int('wait-timeout'),
        signal: controller.signal,
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    if (detach || flags.bool('no-start')) return 0;
    if (compose.dryRun) {
      cli.out.write("end of 'compose up' output, interactive run is not supported in dry-run mode\n");
      return 0;
    }
    const color = !flags.bool('no-color') && cli.out.isTTY === true;
    // Logs of the attached services; up runs until they (and the services named) have exited.
    const following = [...new Set([...attachTo, ...args])];
    const watcher = watch ? await watchForUp(cli, env, project, args, color) : undefined;
    try {
      return await attach(cli, project.name, compose, attachTo, following, { abort, exitCodeFrom, timeout, color, noPrefix: flags.bool('no-log-prefix'), timestamps: flags.bool('timestamps') });
    } finally {
      await watcher?.stop();
    }
  },
};

/**
 * The services whose logs `up` shows: --attach's, else the named ones (all without names, and with
 * --attach-dependencies what they depend on) that do not say `attach: false`; less --no-attach's.
 */
export function attachSet(project: Project, args: string[], attachFlag: string[], withDeps: boolean, noAttach: string[]): string[] {
  let set: string[];
  if (attachFlag.length > 0) {
    const unexpected = attachFlag.filter((a) => !project.services[a]);
    if (unexpected.length) throw new StatusError(`cannot attach to services not included in up: ${unexpected.join(', ')}`, 1);
    set = attachFlag;
  } else {
    const names = new Set(args.length ? args : Object.keys(project.services));
    if (withDeps) {
      const visit = (n: string) => {
        for (const d of Object.keys(project.services[n]?.depends_on ?? {})) {
          if (project.services[d] && !names.has(d)) {
            names.add(d);
            visit(d);
          }
        }
      };
      [...names].forEach(visit);
    }
    set = [...names].filter((n) => project.services[n]?.['attach'] !== false);
  }
  return [...new Set(set)].filter((n) => !noAttach.includes(n));
}

/** The attached half of `up`: logs until every container exits (or one does, with abort), Ctrl+C stops them. */
async function attach(
  cli: Parameters<ComposeCommandSpec['run']>[0]['cli'],
  projectName: string,
  compose: ComposeGlobals,
  attachTo: string[],
  watch: string[],
  o: { abort: boolean; exitCodeFrom: string; timeout: number | undefined; color: boolean; noPrefix: boolean; timestamps: boolean },
): Promise<number> {
  const api = cli.api();
  const containers = (await projectContainers(api, projectName)).filter((c) => watch.includes(serviceOf(c)));
  const printer = new LogPrinter(cli.out, { color: o.color, noPrefix: o.noPrefix });
  const targets = await Promise.all(
    containers.map(async (c) => ({ id: c.Id, service: serviceOf(c), fullName: nameOf(c), name: logName(projectName, nameOf(c), c.Labels), tty: (await containerInspect(api, c.Id)).Config.Tty, attached: attachTo.includes(serviceOf(c)) })),
  );
  printer.register(targets.filter((t) => t.attached).map((t) => t.name));
  cli.out.write(`Attaching to ${targets.filter((t) => t.attached).map((t) => t.name).join(', ')}\n`);
  const env = composeEnv(cli, compose);
  const stopAll = async () => {
    await Promise.allSettled(targets.map((t) => stopContainer(env, { Id: t.id, name: t.fullName }, o.timeout)));
  };
  let exitCode = 0;
  let stopping = false;
  let stopped: Promise<void> = Promise.resolve();
  const onSigint = () => {
    if (stopping) process.exit(130);
    stopping = true;
    cli.err.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    stopped = stopAll();
  };
  process.on('SIGINT', onSigint);
  try {
    await new Promise<void>((resolve) => {
      let left = targets.length;
      if (left === 0) resolve();
      for (const t of targets) {
        void (async () => {
          const logs = t.attached ? streamContainerLog(api, t, printer, { follow: true, color: o.color, timestamps: o.timestamps }).catch(() => undefined) : Promise.resolve();
          const r = await containerWait(api, t.id, 'not-running').catch(() => ({ StatusCode: 0 }));
          await logs;
          cli.out.write(`${t.name} exited with code ${r.StatusCode}\n`);
          if (o.exitCodeFrom ? t.service === o.exitCodeFrom : o.abort && !stopping) exitCode = r.StatusCode;
          if (o.abort && !stopping) {
            stopping = true;
            cli.err.write('Aborting on container exit...\n');
            stopped = stopAll();
          }
          if (--left === 0) resolve();
        })();
      }
    });
    await stopped;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  return exitCode;
}
