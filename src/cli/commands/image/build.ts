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
  { long: 'add-host', type: 'list', usage: 'Add a custom host-to-IP mapping ("host:ip")' },
  { long: 'build-arg', type: 'list', usage: 'Set build-time variables' },
  { long: 'cache-from', type: 'list', typeName: 'strings', usage: 'Images to consider as cache sources' },
  { long: 'cgroup-parent', type: 'string', usage: 'Set the parent cgroup for the "RUN" instructions during build' },
  { long: 'compress', type: 'bool', usage: 'Compress the build context using gzip' },
  { long: 'cpu-period', type: 'value', typeName: 'int', usage: 'Limit the CPU CFS (Completely Fair Scheduler) period', parse: int64 },
  { long: 'cpu-quota', type: 'value', typeName: 'int', usage: 'Limit the CPU CFS (Completely Fair Scheduler) quota', parse: int64 },
  { long: 'cpu-shares', short: 'c', type: 'value', typeName: 'int', usage: 'CPU shares (relative weight)', parse: int64 },
  { long: 'cpuset-cpus', type: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
  { long: 'cpuset-mems', type: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
  { long: 'disable-content-trust', type: 'bool', usage: 'Skip image verification', def: true },
  { long: 'file', short: 'f', type: 'string', usage: 'Name of the Dockerfile (Default is "PATH/Dockerfile")' },
  { long: 'force-rm', type: 'bool', usage: 'Always remove intermediate containers' },
  { long: 'iidfile', type: 'string', usage: 'Write the image ID to the file' },
  { long: 'isolation', type: 'string', usage: 'Container isolation technology' },
  { long: 'label', type: 'list', usage: 'Set metadata for an image', parse: validateLabel },
  { long: 'memory', short: 'm', type: 'value', typeName: 'bytes', usage: 'Memory limit', parse: bytes },
  { long: 'memory-swap', type: 'value', typeName: 'bytes', usage: 'Swap limit equal to memory plus swap: -1 to enable unlimited swap', parse: memSwap },
  { long: 'network', type: 'string', usage: 'Set the networking mode for the RUN instructions during build', def: 'default' },
  { long: 'no-cache', type: 'bool', usage: 'Do not use cache when building the image' },
  { long: 'platform', type: 'string', usage: 'Set platform if server is multi-platform capable' },
  { long: 'progress', type: 'string', usage: 'Set type of progress output (auto, plain, tty)', def: 'auto', parse: progress },
  { long: 'pull', type: 'bool', usage: 'Always attempt to pull a newer version of the image' },
  { long: 'quiet', short: 'q', type: 'bool', usage: 'Suppress the build output and print image ID on success' },
  { long: 'rm', type: 'bool', usage: 'Remove intermediate containers after a successful build', def: true },
  { long: 'security-opt', type: 'list', typeName: 'stringSlice', usage: 'Security options' },
  { long: 'secret', type: 'list', usage: 'Secret to expose to the build (format: "id=mysecret[,src=/local/secret]")', parse: (raw: string): SecretSpec => parseSecretSpec(raw) },
  { long: 'shm-size', type: 'value', typeName: 'bytes', usage: 'Size of "/dev/shm"', parse: bytes },
  { long: 'tag', short: 't', type: 'list', usage: 'Name and optionally a tag in the "name:tag" format' },
  { long: 'target', type: 'string', usage: 'Set the target build stage to build.' },
  { long: 'ulimit', type: 'list', typeName: 'ulimit', defText: '[]', usage: 'Ulimit options', parse: (raw: string) => (parseUlimit(raw), raw) },
];

export const command: CommandSpec = {
  usage: '[OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
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
