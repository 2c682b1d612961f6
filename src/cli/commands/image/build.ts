/**
 * `berth build [OPTIONS] PATH | URL | -`: the legacy builder's API (POST
 * /build) as the docker CLI drives it (cli/command/image/build.go), plus
 * `--secret` (Berth's X-Berth-Build-Secrets header) and `--progress`
 * (plain: docker's legacy output; tty: Berth's live display; auto: tty on a
 * terminal).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { CommandSpec } from '../../command.ts';
import type { FlagSpec } from '../../flags.ts';
import { ramInBytes } from '../../format/units.ts';
import { parseUlimit, validateLabel } from '../../opts/specs.ts';
import { prepareContext, ContextError } from '../../build/context-source.ts';
import { addProxyArgs, encodeRegistryConfig, encodeSecretsHeader, parseBuildArgs, parseLabels, parseSecretSpec, readSecret, sortedRecord, type SecretSpec } from '../../build/build-options.ts';
import { runBuild, type ProgressMode } from '../../build/run-build.ts';

const bytes = (raw: string) => ramInBytes(raw);
const memSwap = (raw: string) => (raw === '-1' ? -1 : ramInBytes(raw));
const int64 = (raw: string) => {
  if (!/^[+-]?\d+$/.test(raw)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  return Number(raw);
};
const progress = (raw: string) => {
  if (!['auto', 'plain', 'tty'].includes(raw)) throw new Error('must be one of auto, plain, tty');
  return raw;
};

const FLAGS: FlagSpec[] = [
  { long: 'add-host', type: 'list', usage: 'Add a line to /etc/hosts during the build ("host:ip")' },
  { long: 'build-arg', type: 'list', usage: 'Give a build argument a value (NAME=VALUE)' },
  { long: 'cache-from', type: 'list', typeName: 'strings', usage: 'Images whose layers may serve as cache' },
  { long: 'cgroup-parent', type: 'string', usage: 'Parent cgroup for the build\'s "RUN" steps' },
  { long: 'compress', type: 'bool', usage: 'Send the build context gzip-compressed' },
  { long: 'cpu-period', type: 'value', typeName: 'int', usage: 'CFS scheduler period for build steps', parse: int64 },
  { long: 'cpu-quota', type: 'value', typeName: 'int', usage: 'CFS scheduler quota for build steps', parse: int64 },
  { long: 'cpu-shares', short: 'c', type: 'value', typeName: 'int', usage: 'Relative CPU weight', parse: int64 },
  { long: 'cpuset-cpus', type: 'string', usage: 'CPUs the processes may use (0-3, 0,1)' },
  { long: 'cpuset-mems', type: 'string', usage: 'Memory nodes the processes may use (0-3, 0,1)' },
  { long: 'disable-content-trust', type: 'bool', usage: 'Do not check image signatures', def: true },
  { long: 'file', short: 'f', type: 'string', usage: 'Dockerfile to build from ("PATH/Dockerfile" when not given)' },
  { long: 'force-rm', type: 'bool', usage: 'Delete intermediate containers even when a step fails' },
  { long: 'iidfile', type: 'string', usage: "Save the built image's ID in this file" },
  { long: 'isolation', type: 'string', usage: 'Kind of isolation to run under' },
  { long: 'label', type: 'list', usage: 'Add a label to the image', parse: validateLabel },
  { long: 'memory', short: 'm', type: 'value', typeName: 'bytes', usage: 'Most memory the processes may use', parse: bytes },
  { long: 'memory-swap', type: 'value', typeName: 'bytes', usage: 'Memory plus swap allowed in total (-1: no swap limit)', parse: memSwap },
  { long: 'network', type: 'string', usage: "Network mode of the build's RUN steps", def: 'default' },
  { long: 'no-cache', type: 'bool', usage: 'Build every step afresh, ignoring cached results' },
  { long: 'platform', type: 'string', usage: 'Platform to use when the server supports several' },
  { long: 'progress', type: 'string', usage: 'How to show build progress (auto, plain, tty)', def: 'auto', parse: progress },
  { long: 'pull', type: 'bool', usage: 'Check the registry for a newer base image every time' },
  { long: 'quiet', short: 'q', type: 'bool', usage: 'Print only the image ID when the build succeeds' },
  { long: 'rm', type: 'bool', usage: 'Delete intermediate containers once the build succeeds', def: true },
  { long: 'security-opt', type: 'list', typeName: 'strings', usage: 'Security settings for build steps' },
  { long: 'secret', type: 'list', usage: 'Secret the build may read ("id=NAME[,src=FILE]")', parse: (raw: string): SecretSpec => parseSecretSpec(raw) },
  { long: 'shm-size', type: 'value', typeName: 'bytes', usage: 'How large "/dev/shm" is', parse: bytes },
  { long: 'tag', short: 't', type: 'list', usage: 'Name the image, with an optional tag ("name:tag")' },
  { long: 'target', type: 'string', usage: 'Stop after this build stage' },
  { long: 'ulimit', type: 'list', typeName: 'ulimit', defText: '[]', usage: 'Resource limits (ulimit)', parse: (raw: string) => (parseUlimit(raw), raw) },
];

export const command: CommandSpec = {
  usage: '[OPTIONS] PATH | URL | -',
  short: 'Make an image by following a Dockerfile',
  aliases: ['image build', 'build', 'builder build'],
  args: { exact: 1 },
  flags: FLAGS,
  async run({ cli, flags, args }) {
    const env = cli.env;
    const iidfile = flags.str('iidfile');
    const quiet = flags.bool('quiet');
    const progressFlag = flags.str('progress') || 'auto';
    const mode: ProgressMode = quiet ? 'quiet' : progressFlag === 'plain' ? 'plain' : progressFlag === 'tty' || cli.out.isTTY ? 'tty' : 'plain';

    const secrets = new Map<string, Buffer>();
    for (const spec of flags.list('secret') as unknown as SecretSpec[]) secrets.set(spec.id, readSecret(spec, env, (p) => readFileSync(p)));

    let context;
    try {
      context = await prepareContext({ context: args[0] ?? '', file: flags.str('file'), stdin: cli.streams.stdin, cwd: process.cwd() });
    } catch (err) {
      if (err instanceof ContextError) throw new Error(err.message);
      throw err;
    }
    if (iidfile) {
      try {
        rmSync(iidfile);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`removing image ID file: ${(err as Error).message}`);
      }
    }
    let body = context.body;
    if (body && flags.bool('compress')) {
      const { createGzip } = await import('node:zlib');
      body = body.pipe(createGzip());
    }

    const buildArgs = parseBuildArgs(flags.list('build-arg'), env);
    addProxyArgs(buildArgs, cli.config, cli.api().host);
    const headers: Record<string, string> = { 'X-Registry-Config': encodeRegistryConfig(cli.config) };
    if (secrets.size) headers['X-Berth-Build-Secrets'] = encodeSecretsHeader(secrets);

    const id = await runBuild(cli, {
      mode,
      body,
      headers,
      query: {
        tags: flags.list('tag'),
        securityOpt: flags.list('security-opt').flatMap((v) => v.split(',')).filter((v) => v !== ''),
        ulimits: flags.list('ulimit').map((raw) => {
          const u = parseUlimit(raw);
          return { Name: u.Name, Hard: u.Hard, Soft: u.Soft };
        }),
        dockerfile: context.dockerfile,
        quiet,
        remote: context.remote,
        noCache: flags.bool('no-cache'),
        remove: flags.bool('rm'),
        forceRemove: flags.bool('force-rm'),
        pull: flags.bool('pull'),
        networkMode: flags.str('network'),
        extraHosts: flags.list('add-host'),
        cpuShares: flags.get<number>('cpu-shares'),
        cpuQuota: flags.get<number>('cpu-quota'),
        cpuPeriod: flags.get<number>('cpu-period'),
        cpusetCpus: flags.str('cpuset-cpus'),
        cpusetMems: flags.str('cpuset-mems'),
        memory: flags.get<number>('memory'),
        memorySwap: flags.get<number>('memory-swap'),
        shmSize: flags.get<number>('shm-size'),
        cgroupParent: flags.str('cgroup-parent'),
        target: flags.str('target'),
        buildArgs: sortedRecord(buildArgs),
        labels: sortedRecord(parseLabels(flags.list('label'))),
        cacheFrom: flags.list('cache-from').flatMap((v) => v.split(',')).filter((v) => v !== ''),
        platform: flags.str('platform') || env['DOCKER_DEFAULT_PLATFORM'] || undefined,
      },
    });
    if (iidfile) {
      if (!id) throw new Error(`server did not provide an image ID. Cannot write ${iidfile}`);
      writeFileSync(iidfile, id, { mode: 0o666 });
    }
  },
};
