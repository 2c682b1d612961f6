/** `berth context ls`: NAME DESCRIPTION DOCKER ENDPOINT ERROR, the current one starred. */
import { FORMAT_FLAG, type CommandSpec } from '../../command.ts';
import { parseListFormat, renderList } from '../../format/list-format.ts';

const TABLE = 'table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}';
const HEADER = { Name: 'NAME', Current: '', Description: 'DESCRIPTION', DockerEndpoint: 'DOCKER ENDPOINT', Error: 'ERROR' };

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show contexts',
  aliases: ['context ls', 'context list'],
  args: { exact: 0 },
  flags: [FORMAT_FLAG, { long: 'quiet', short: 'q', type: 'bool', usage: 'Print context names only' }],
  async run({ cli, flags }) {
    const current = cli.currentContext();
    const env = cli.env['BERTH_HOST'] || cli.env['DOCKER_HOST'];
    const rows = [
      { Name: 'default', Current: current === 'default', Description: 'Current DOCKER_HOST based configuration', DockerEndpoint: env || 'unix:///run/berth/berth.sock', Error: '' },
      ...cli.contextStore().list().map((c) => ({
        Name: c.Name,
        Current: current === c.Name,
        Description: c.Metadata.Description ?? '',
        DockerEndpoint: c.Endpoints.docker?.Host ?? '',
        Error: '',
      })),
    ];
    cli.out.write(renderList(parseListFormat(flags.str('format'), flags.bool('quiet'), TABLE, '{{.Name}}'), rows, HEADER, '*formatter.ClientContext'));
  },
};
