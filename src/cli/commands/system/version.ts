/**
 * `berth version`: docker's client/server report, through the same template
 * docker uses (so --format sees the same fields: .Client.Version,
 * .Server.Version, .Server.Components…), aligned by tabwriter(20, 1, 1, ' ').
 */
import type { CommandSpec } from '../../command.ts';
import { systemVersion } from '../../../client/system.ts';
import { CLIENT_API_VERSION } from '../../../client/api-client.ts';
import { parseTemplate, goStruct } from '../../format/template.ts';
import { TabWriter } from '../../format/tabwriter.ts';
import { describeError } from '../../errors.ts';
import { VERSION } from '../../version-info.ts';

const TEMPLATE = `Client:{{if ne .Client.Platform.Name ""}} {{.Client.Platform.Name}}{{end}}
 Version:\t{{.Client.Version}}
 API version:\t{{.Client.APIVersion}}{{if ne .Client.APIVersion .Client.DefaultAPIVersion}} (downgraded from {{.Client.DefaultAPIVersion}}){{end}}
 Node version:\t{{.Client.GoVersion}}
 Git commit:\t{{.Client.GitCommit}}
 Built:\t{{.Client.BuildTime}}
 OS/Arch:\t{{.Client.Os}}/{{.Client.Arch}}
 Context:\t{{.Client.Context}}
{{- if .ServerOK}}{{with .Server}}

Server:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
 {{- range $component := .Components}}
 {{$component.Name}}:
  {{- if eq $component.Name "Engine" }}
  Version:\t{{.Version}}
  API version:\t{{index .Details "ApiVersion"}} (minimum version {{index .Details "MinAPIVersion"}})
  Go version:\t{{index .Details "GoVersion"}}
  Git commit:\t{{index .Details "GitCommit"}}
  Built:\t{{index .Details "BuildTime"}}
  OS/Arch:\t{{index .Details "Os"}}/{{index .Details "Arch"}}
  Experimental:\t{{index .Details "Experimental"}}
  {{- else }}
  Version:\t{{$component.Version}}
  {{- range $key, $value := $component.Details}}
  {{$key}}:\t{{$value}}
  {{- end}}
  {{- end}}
 {{- end}}
{{- end}}{{- end}}`;

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show the Docker version information',
  aliases: ['version'],
  args: { exact: 0 },
  flags: [{ long: 'format', short: 'f', type: 'string', usage: 'Format output using a custom template:\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' }],
  async run({ cli, flags }) {
    const api = cli.api();
    let server: Record<string, unknown> | undefined;
    let serverErr: unknown;
    try {
      server = await systemVersion(api);
    } catch (err) {
      serverErr = err;
    }
    const apiVersion = await api.apiVersion().catch(() => CLIENT_API_VERSION);
    const data = goStruct({
      Client: goStruct({
        Platform: { Name: '' },
        Version: VERSION,
        APIVersion: apiVersion,
        DefaultAPIVersion: CLIENT_API_VERSION,
        GoVersion: process.version,
        GitCommit: 'unknown',
        BuildTime: 'unknown',
        Os: process.platform,
        Arch: process.arch === 'x64' ? 'amd64' : process.arch,
        Context: cli.currentContext(),
      }),
      Server: server ?? null,
      ServerOK: server !== undefined,
    });
    let format = flags.str('format');
    if (format === 'json') format = '{{json .}}';
    if (format) {
      cli.out.write(parseTemplate(format).execute(data) + '\n');
    } else {
      const tw = new TabWriter(20, 1, 1, ' ', 0);
      tw.write(parseTemplate(TEMPLATE).execute(data) + '\n');
      cli.out.write(tw.flush());
    }
    if (serverErr) throw new Error(describeError(serverErr));
  },
};
