/** `berth context create NAME --docker host=…[,skip-tls-verify=true]`, in Docker's on-disk format. */
import type { CommandSpec } from '../../command.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS] CONTEXT',
  short: 'Add a context',
  aliases: ['context create'],
  args: { exact: 1 },
  flags: [
    { long: 'description', type: 'string', usage: 'Free text saying what the context is for' },
    { long: 'docker', type: 'string', typeName: 'stringToString', usage: 'Berth endpoint to connect to (host=...)' },
  ],
  async run({ cli, flags, args }) {
    const name = args[0] ?? '';
    let host = '';
    let skip = false;
    for (const part of flags.str('docker').split(',').filter(Boolean)) {
      const [k = '', v = ''] = part.split('=', 2);
      if (k === 'host') host = v;
      else if (k === 'skip-tls-verify') skip = v === 'true';
      else throw new Error(`unable to create docker endpoint config: unrecognized config key: ${k}`);
    }
    if (!host) host = cli.hostUrl().url;
    cli.contextStore().create({ Name: name, Metadata: { Description: flags.str('description') }, Endpoints: { docker: { Host: host, SkipTLSVerify: skip } } });
    cli.out.write(`${name}\n`);
    cli.err.write(`Successfully created context "${name}"\n`);
  },
};
