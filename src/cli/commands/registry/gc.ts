/** `berth registry gc [--root] [--config] [--dry-run]`: remove blobs no manifest references, and stale uploads. */
import type { CommandSpec } from '../../command.ts';
import { localRegistry } from '../../local-registry.ts';
import { parseGoDuration } from '../../../util/duration.ts';
import { humanSize } from '../../format/units.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Remove unreferenced blobs and stale uploads from a registry root',
  args: { exact: 0 },
  flags: [
    { long: 'root', type: 'string', usage: 'Storage directory (default "/var/lib/berth-registry")' },
    { long: 'config', type: 'string', usage: 'Configuration file (YAML or JSON)' },
    { long: 'dry-run', short: 'd', type: 'bool', usage: 'Only print what would be removed' },
    {
      long: 'upload-max-age',
      type: 'string',
      usage: 'Remove uploads idle for longer than this (default "168h")',
      parse: (raw) => {
        parseGoDuration(raw);
        return raw;
      },
    },
  ],
  async run({ cli, flags }) {
    const reg = await localRegistry();
    const age = flags.str('upload-max-age');
    const r = await reg.gc({
      root: flags.str('root') || undefined,
      config: flags.str('config') || undefined,
      dryRun: flags.bool('dry-run'),
      uploadMaxAgeMs: age ? parseGoDuration(age) / 1e6 : undefined,
    });
    let out = '';
    for (const d of r.blobsRemoved) out += `blob eligible for deletion: ${d}\n`;
    for (const u of r.uploadsRemoved) out += `upload eligible for deletion: ${u}\n`;
    out += `${r.marked} blobs marked, ${r.blobsRemoved.length} blobs and ${r.uploadsRemoved.length} uploads ${flags.bool('dry-run') ? 'eligible for deletion' : 'deleted'} (${humanSize(r.bytesFreed)})\n`;
    cli.out.write(out);
  },
};
