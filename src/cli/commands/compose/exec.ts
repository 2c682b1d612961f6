/**
 * `berth compose exec` and `berth compose run`: a command in a service's
 * running container (--index, default 1), or in a new one-off container
 * (`<project>-<service>-run-<hex>`, labelled oneoff, dependencies started
 * first). Both hand the attached part to the docker commands' own code
 * (`exec`, `start -a`), so streams, TTYs and exit codes behave as theirs.
 */
import { randomBytes } from 'node:crypto';
import { containerRemove } from '../../../client/containers.ts';
import { containerCreate } from '../../../client/containers.ts';
import { networkConnect } from '../../../client/networks.ts';
import { StatusError } from '../../errors.ts';
import { parseFlags } from '../../flags.ts';
import { oneoffName } from '../../../compose/labels.ts';
import { injectFiles } from '../../../compose/inject.ts';
import { planContainer } from '../../../compose/plan.ts';
import { label, numberOf, projectContainers, serviceOf } from '../../../compose/state.ts';
import { up } from '../../../compose/up.ts';
import { ensureImages, ensureNetworks, ensureVolumes } from '../../../compose/resources.ts';
import type { ComposeCommandSpec, ComposeContextArg } from './index.ts';
import { composeBuilder, openSession, projectNameOnly } from './session.ts';
import { resolveEnv } from '../../opts/specs.ts';

async function dockerCommand(ctx: ComposeContextArg, module: Promise<{ command: import('../../command.ts').CommandSpec }>, argv: string[]): Promise<number> {
  const { command } = await module;
  const flags = parseFlags(command.flags, argv, { interspersed: false });
  return (await command.run({ cli: ctx.cli, flags, args: flags.args, path: ctx.path })) ?? 0;
}

export const exec: ComposeCommandSpec = {
  usage: '[OPTIONS] SERVICE COMMAND [ARGS...]',
  short: 'Run a command in a running service container',
  interspersed: false,
  args: { min: 2 },
  flags: [
    { long: 'detach', short: 'd', type: 'bool', usage: 'Start the command in the background and return' },
    { long: 'env', short: 'e', type: 'list', typeName: 'stringArray', usage: 'Set an environment variable (NAME=VALUE)' },
    { long: 'index', type: 'int', usage: 'Which replica, when the service has several', def: 0 },
    { long: 'interactive', short: 'i', type: 'bool', usage: 'Keep standard input open, attached or not', def: true, hidden: true },
    { long: 'no-TTY', short: 'T', type: 'bool', usage: 'Do not give the command a terminal (it gets one by default)' },
    { long: 'privileged', type: 'bool', usage: 'Run the command with all privileges' },
    { long: 'tty', short: 't', type: 'bool', usage: 'Give the process a terminal (pseudo-TTY)', def: true, hidden: true },
    { long: 'user', short: 'u', type: 'string', usage: 'User to run the command as' },
    { long: 'workdir', short: 'w', type: 'string', usage: 'Directory to run the command in' },
  ],
  async run(ctx) {
    if (ctx.args.length < 2) throw new StatusError(`"${ctx.path}" requires at least 2 arguments.`, 1);
    const [service = '', ...cmd] = ctx.args;
    const project = projectNameOnly(ctx.cli, ctx.compose)!;
    const index = ctx.flags.int('index') || 1;
    const list = (await projectContainers(ctx.cli.api(), project.name)).filter((c) => serviceOf(c) === service && c.State === 'running');
    const c = list.find((x) => numberOf(x) === index) ?? (ctx.flags.has('index') ? undefined : list[0]);
    if (!c) throw new StatusError(`service "${service}" is not running`, 1);
    const argv: string[] = [];
    if (ctx.flags.bool('detach')) argv.push('-d');
    else if (ctx.flags.bool('interactive')) argv.push('-i');
    if (!ctx.flags.bool('no-TTY') && ctx.flags.bool('tty') && ctx.cli.streams.stdin.isTTY) argv.push('-t');
    for (const e of ctx.flags.list('env')) argv.push('-e', resolveEnv(e, ctx.cli.env));
    if (ctx.flags.str('user')) argv.push('-u', ctx.flags.str('user'));
    if (ctx.flags.str('workdir')) argv.push('-w', ctx.flags.str('workdir'));
    if (ctx.flags.bool('privileged')) argv.push('--privileged');
    return dockerCommand(ctx, import('../container/exec.ts'), [...argv, c.Id, ...cmd]);
  },
};

export const run: ComposeCommandSpec = {
  usage: '[OPTIONS] SERVICE [COMMAND] [ARGS...]',
  short: 'Run a single command in a new container of a service',
  interspersed: false,
  flags: [
    { long: 'build', type: 'bool', usage: 'Build the image first' },
    { long: 'detach', short: 'd', type: 'bool', usage: "Start in the background and print the new container's ID" },
    { long: 'entrypoint', type: 'string', usage: "Run this instead of the image's ENTRYPOINT" },
    { long: 'env', short: 'e', type: 'list', typeName: 'stringArray', usage: 'Set an environment variable (NAME=VALUE)' },
    { long: 'interactive', short: 'i', type: 'bool', usage: 'Keep standard input open, attached or not', def: true },
    { long: 'label', short: 'l', type: 'list', typeName: 'stringArray', usage: 'Set a label (KEY=VALUE)' },
    { long: 'name', type: 'string', usage: 'Name the new container' },
    { long: 'no-TTY', short: 'T', type: 'bool', usage: 'Do not give the command a terminal (it gets one when input is a terminal)' },
    { long: 'no-deps', type: 'bool', usage: 'Leave the services it depends on alone' },
    { long: 'publish', short: 'p', type: 'list', typeName: 'stringArray', usage: 'Map container ports to host ports' },
    { long: 'rm', type: 'bool', usage: 'Delete the container once it exits' },
    { long: 'service-ports', type: 'bool', usage: "Publish the service's ports as its definition says" },
    { long: 'user', short: 'u', type: 'string', usage: 'User to run as, by name or uid' },
    { long: 'volume', short: 'v', type: 'list', typeName: 'stringArray', usage: 'Mount a volume or host path' },
    { long: 'workdir', short: 'w', type: 'string', usage: 'Directory to start the process in, inside the container' },
  ],
  async run(ctx) {
    const [service = '', ...cmd] = ctx.args;
    if (!service) throw new StatusError(`"${ctx.path}" requires at least 1 argument.`, 1);
    const { project, env } = openSession(ctx.cli, ctx.compose, [service]);
    const s = project.services[service];
    if (!s) throw new StatusError(`no such service: ${service}`, 1);
    // The loaded project is the service and its dependencies, transitively.
    const deps = Object.keys(project.services).filter((d) => d !== service);
    if (!ctx.flags.bool('no-deps') && deps.length) await up(env, project, { services: deps, builder: composeBuilder(ctx.cli) });
    const ids = await ensureImages(env, project, [service], { build: ctx.flags.bool('build'), builder: composeBuilder(ctx.cli) });
    await ensureNetworks(env, project);
    await ensureVolumes(env, project);
    const existing = await projectContainers(env.api, project.name, { oneoff: true });
    const number = Math.max(0, ...existing.filter((c) => serviceOf(c) === service && label(c, 'com.docker.compose.oneoff') === 'True').map(numberOf)) + 1;
    const tty = !ctx.flags.bool('no-TTY') && ctx.cli.streams.stdin.isTTY === true && ctx.cli.out.isTTY === true;
    const service2 = { ...s, tty: tty || s.tty, stdin_open: ctx.flags.bool('interactive') || s.stdin_open };
    if (ctx.flags.str('user')) service2.user = ctx.flags.str('user');
    if (ctx.flags.str('workdir')) service2.working_dir = ctx.flags.str('workdir');
    if (ctx.flags.has('entrypoint')) service2.entrypoint = ctx.flags.str('entrypoint') ? [ctx.flags.str('entrypoint')] : null;
    const name = ctx.flags.str('name') || oneoffName(project.name, service, randomBytes(6).toString('hex'));
    const plan = planContainer({
      project,
      service: service2,
      number,
      oneoff: { name },
      imageId: ids.get(service),
      env: ctx.flags.list('env').map((e) => resolveEnv(e, ctx.cli.env)),
      command: cmd.length ? cmd : undefined,
      noPorts: !ctx.flags.bool('service-ports'),
    });
    const body = plan.body as Record<string, any>;
    for (const l of ctx.flags.list('label')) {
      const i = l.indexOf('=');
      body['Labels'][i < 0 ? l : l.slice(0, i)] = i < 0 ? '' : l.slice(i + 1);
    }
    if (ctx.flags.list('volume').length) body['HostConfig']['Binds'] = [...(body['HostConfig']['Binds'] ?? []), ...ctx.flags.list('volume')];
    if (ctx.flags.bool('detach')) body['HostConfig']['AutoRemove'] = ctx.flags.bool('rm');
    body['HostConfig']['RestartPolicy'] = { Name: 'no', MaximumRetryCount: 0 };
    if (!ctx.flags.bool('detach')) {
      body['AttachStdin'] = service2.stdin_open ?? false;
      body['OpenStdin'] = service2.stdin_open ?? false;
      body['StdinOnce'] = service2.stdin_open ?? false;
    }
    const { Id } = await containerCreate(env.api, body, { name });
    for (const n of plan.connect) await networkConnect(env.api, n.network, Id, n.endpoint);
    await injectFiles(env, project, s, Id);
    if (ctx.flags.bool('detach')) {
      await dockerCommand(ctx, import('../container/start.ts'), [Id]).then(() => undefined);
      return 0;
    }
    try {
      return await dockerCommand(ctx, import('../container/start.ts'), ['-a', ...(service2.stdin_open ? ['-i'] : []), Id]);
    } finally {
      if (ctx.flags.bool('rm')) await containerRemove(env.api, Id, { force: true }).catch(() => undefined);
    }
  },
};


/** `compose cp SERVICE:SRC DEST` / `SRC SERVICE:DEST`: docker cp with the service's container (--index, default 1). */
export const cp: ComposeCommandSpec = {
  usage: '[OPTIONS] SERVICE:SRC_PATH DEST_PATH|-\n\tberth compose cp [OPTIONS] SRC_PATH|- SERVICE:DEST_PATH',
  short: 'Copy files or directories into or out of a service container',
  args: { exact: 2 },
  flags: [
    { long: 'archive', short: 'a', type: 'bool', usage: 'Keep file owners (uid/gid) as they are' },
    { long: 'follow-link', short: 'L', type: 'bool', usage: 'Copy what a symlink in SRC_PATH points to, not the link' },
    { long: 'index', type: 'int', usage: 'Which replica, when the service has several', def: 0 },
  ],
  async run(ctx) {
    if (ctx.args.length !== 2) throw new StatusError(`"${ctx.path}" requires exactly 2 arguments.`, 1);
    const project = projectNameOnly(ctx.cli, ctx.compose)!;
    const list = await projectContainers(ctx.cli.api(), project.name);
    const index = ctx.flags.int('index') || 1;
    const resolve = (arg: string) => {
      const i = arg.indexOf(':');
      if (i <= 0 || arg.startsWith('/') || arg.startsWith('.')) return arg;
      const service = arg.slice(0, i);
      const c = list.find((x) => serviceOf(x) === service && numberOf(x) === index);
      if (!c) throw new StatusError(`no container found for service "${service}"`, 1);
      return `${c.Id}:${arg.slice(i + 1)}`;
    };
    const argv = [...(ctx.flags.bool('archive') ? ['-a'] : []), ...(ctx.flags.bool('follow-link') ? ['-L'] : []), '-q', resolve(ctx.args[0]!), resolve(ctx.args[1]!)];
    return dockerCommand(ctx, import('../container/cp.ts'), argv);
  },
};
