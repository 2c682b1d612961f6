/**
 * `berth stats`: one sample per container with --no-stream; otherwise a
 * stream per container and the table redrawn in place every second (on a
 * terminal; a plain table per tick otherwise), until interrupted.
 */
import { FORMAT_FLAG, type CommandSpec } from '../../command.ts';
import type { Cli } from '../../cli.ts';
import type { Flags } from '../../flags.ts';
import { containerList, containerStats } from '../../../client/containers.ts';
import { readAll } from '../../../client/api-client.ts';
import { readJsonLines } from '../../../client/json-stream.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';
import { bytesSize, humanSize } from '../../format/units.ts';
import { truncateId } from '../../format/reference.ts';

const TABLE = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';
const HEADER = { ID: 'CONTAINER ID', Container: 'CONTAINER', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS' };

interface Stats {
  id: string;
  name: string;
  cpu_stats: { cpu_usage: { total_usage: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  pids_stats?: { current?: number };
}

/** One table row; `given` is the container as named on the command line (docker's .Container), else its ID. */
function row(s: Stats, given: string): object {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const sysDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats.online_cpus || s.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  const cpu = sysDelta > 0 && cpuDelta > 0 ? (cpuDelta / sysDelta) * cpus * 100 : 0;
  const cache = s.memory_stats.stats?.['total_inactive_file'] ?? s.memory_stats.stats?.['inactive_file'] ?? 0;
  const mem = Math.max(0, (s.memory_stats.usage ?? 0) - cache);
  const limit = s.memory_stats.limit ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    rx += n.rx_bytes;
    tx += n.tx_bytes;
  }
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    if (e.op.toLowerCase() === 'read') read += e.value;
    if (e.op.toLowerCase() === 'write') write += e.value;
  }
  return {
    ID: truncateId(s.id),
    Container: given,
    Name: s.name.replace(/^\//, ''),
    CPUPerc: `${cpu.toFixed(2)}%`,
    MemUsage: `${bytesSize(mem)} / ${bytesSize(limit)}`,
    MemPerc: `${(limit ? (mem / limit) * 100 : 0).toFixed(2)}%`,
    NetIO: `${humanSize(rx, 3)} / ${humanSize(tx, 3)}`,
    BlockIO: `${humanSize(read, 3)} / ${humanSize(write, 3)}`,
    PIDs: String(s.pids_stats?.current ?? 0),
  };
}

export const command: CommandSpec = {
  usage: '[OPTIONS] [CONTAINER...]',
  short: "Show containers' CPU, memory, network and disk use as it happens",
  aliases: ['container stats', 'stats'],
  flags: [
    { long: 'all', short: 'a', type: 'bool', usage: 'Include stopped containers too' },
    FORMAT_FLAG,
    { long: 'no-stream', type: 'bool', usage: 'Print one sample and exit' },
    { long: 'no-trunc', type: 'bool', usage: 'Print full values, uncut' },
  ],
  async run({ cli, flags, args }) {
    // docker's .Container: the name as given, or the short ID of a listed container.
    const ids = args.length ? args : (await containerList(cli.api(), { all: flags.bool('all') })).map((c) => truncateId(c.Id));
    await showStats(cli, flags, ids);
  },
};

/** The stats table of these containers (`compose stats` passes its project's), once or live. */
export async function showStats(cli: Cli, flags: Flags, ids: string[]): Promise<void> {
  const api = cli.api();
  const format = parseListFormat(flags.str('format') || cli.config.statsFormat || '', false, TABLE);
  const render = (rows: object[]) => renderList(format, rows, HEADER, '*formatter.statsContext');
  if (flags.bool('no-stream')) {
    const rows: object[] = [];
    for (const id of ids) {
      const res = await containerStats(api, id, false);
      rows.push(row(JSON.parse((await readAll(res)).toString('utf8')) as Stats, id));
    }
    cli.out.write(render(rows));
    return;
  }
  // Live: the latest sample of each container, redrawn once a second.
  const latest = new Map<string, object>();
  const streams = await Promise.all(ids.map((id) => containerStats(api, id, true)));
  const readers = streams.map(async (res, i) => {
    for await (const sample of readJsonLines<Stats>(res)) latest.set(ids[i]!, row(sample, ids[i]!));
  });
  const clear = cli.out.isTTY ? '\x1b[2J\x1b[H' : '';
  const draw = () => cli.out.write(clear + render(ids.map((id) => latest.get(id)).filter((r): r is object => r !== undefined)));
  const timer = setInterval(draw, 1000);
  await Promise.allSettled(readers);
  clearInterval(timer);
  draw();
}
