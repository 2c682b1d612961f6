/** `berth update`: new resource limits or restart policy for containers (docker container update). */
import type { CommandSpec } from '../../command.ts';
import type { FlagSpec } from '../../flags.ts';
import { containerUpdate } from '../../../client/containers.ts';
import { CONTAINER_FLAGS } from '../../opts/container-flags.ts';
import { parseRestartPolicy } from '../../opts/specs.ts';
import { forEachTarget } from '../../errors.ts';

const SHARED = ['blkio-weight', 'cpu-period', 'cpu-quota', 'cpu-rt-period', 'cpu-rt-runtime', 'cpu-shares', 'cpus', 'cpuset-cpus', 'cpuset-mems', 'memory', 'memory-reservation', 'memory-swap', 'pids-limit', 'restart'];
/** The run flags update shares (their wording too); update shows no defaults. */
const FLAGS: FlagSpec[] = CONTAINER_FLAGS.filter((f) => SHARED.includes(f.long)).map((f) => ({ ...f, def: undefined }));

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Change resource limits and the restart policy of containers',
  aliases: ['container update', 'update'],
  args: { min: 1 },
  flags: FLAGS,
  async run({ cli, flags, args }) {
    if (!SHARED.some((f) => flags.has(f))) throw new Error('you must provide one or more flags when using this command');
    const cpus = flags.get<number>('cpus');
    const body: Record<string, unknown> = {
      BlkioWeight: flags.int('blkio-weight'),
      CpuPeriod: flags.int('cpu-period'),
      CpuQuota: flags.int('cpu-quota'),
      CpuRealtimePeriod: flags.int('cpu-rt-period'),
      CpuRealtimeRuntime: flags.int('cpu-rt-runtime'),
      CpuShares: flags.int('cpu-shares'),
      NanoCpus: cpus !== undefined ? Math.round(cpus * 1e9) : 0,
      CpusetCpus: flags.str('cpuset-cpus'),
      CpusetMems: flags.str('cpuset-mems'),
      Memory: flags.get<number>('memory') ?? 0,
      MemoryReservation: flags.get<number>('memory-reservation') ?? 0,
      MemorySwap: flags.get<number>('memory-swap') ?? 0,
    };
    if (flags.has('pids-limit')) body['PidsLimit'] = flags.int('pids-limit');
    if (flags.has('restart')) body['RestartPolicy'] = parseRestartPolicy(flags.str('restart'));
    const warnings = new Set<string>();
    await forEachTarget(args, async (name) => {
      const r = await containerUpdate(cli.api(), name, body);
      for (const w of r?.Warnings ?? []) warnings.add(w);
      cli.out.write(`${name}\n`);
    });
    for (const w of warnings) cli.err.write(`${w}\n`);
  },
};
