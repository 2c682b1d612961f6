/** `berth context inspect [NAME...]`: the stored meta.json objects, docker-indented. */
import type { CommandSpec } from '../../command.ts';
import { formatInspectArray } from '../../format/json-indent.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] [CONTEXT] [CONTEXT...]',
  short: 'Show the full details of contexts',
  aliases: ['context inspect'],
  flags: [{ long: 'format', short: 'f', type: 'string', usage: 'Render the output through a Go template' }],
  async run({ cli, args }) {
    const names = args.length ? args : [cli.currentContext()];
    const store = cli.contextStore();
    const out = names.map((n) => {
      if (n === 'default') {
        return JSON.stringify({ Name: 'default', Metadata: {}, Endpoints: { docker: { Host: cli.hostUrl().url, SkipTLSVerify: false } }, TLSMaterial: {}, Storage: { MetadataPath: '<IN MEMORY>', TLSPath: '<IN MEMORY>' } });
      }
      return JSON.stringify({ ...store.get(n), TLSMaterial: {}, Storage: {} });
    });
    cli.out.write(formatInspectArray(out));
  },
};
