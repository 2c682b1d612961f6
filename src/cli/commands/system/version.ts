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
  short: 'Show the Berth client and server versions',
  aliases: ['version'],
  args: { exact: 0 },
  flags: [{ long: 'format', short: 'f', type: 'string', usage: "Choose the output layout:\n'json':             the object as JSON\n'TEMPLATE':         the object through a Go template\n(templates follow Go's text/template syntax)" }],
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
      Client: withGoFieldNames(
        goStruct({
          // docker/cli's clientVersion, in its field order (Platform omitted when it has no name).
          Platform: { Name: '' },
          Version: VERSION,
          ApiVersion: apiVersion,
          DefaultAPIVersion: CLIENT_API_VERSION,
          GitCommit: 'unknown',
          GoVersion: process.version,
          Os: process.platform,
          Arch: process.arch === 'x64' ? 'amd64' : process.arch,
          BuildTime: 'unknown',
          Context: cli.currentContext(),
        }),
      ),
      Server: server ? withGoFieldNames(goStruct(serverVersion(server))) : null,
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

/**
 * The version structs' Go field names that differ from their JSON names
 * (`APIVersion` is `ApiVersion` in JSON): templates see the Go names,
 * `{{json}}` writes the JSON ones, as with docker's types.Version.
 */
function withGoFieldNames<T extends Record<string, unknown>>(obj: T): T {
  if ('ApiVersion' in obj) Object.defineProperty(obj, 'APIVersion', { enumerable: false, get: () => obj['ApiVersion'] });
  // `omitempty`: a platform without a name is not written, though templates still reach it.
  const platform = obj['Platform'] as { Name?: string } | undefined;
  if (platform && !platform.Name) Object.defineProperty(obj, 'Platform', { enumerable: false });
  return obj;
}

/**
 * The server's answer as docker/cli holds it: decoded into types.Version
 * (so re-encoded in that struct's field order, empty optional fields left
 * out), the Engine component's BuildTime rewritten in Go's ANSIC layout,
 * and an Engine component made up when the server sent none.
 */
function serverVersion(v: Record<string, unknown>): Record<string, unknown> {
  const components = (Array.isArray(v['Components']) ? v['Components'] : []) as { Name?: string; Version?: string; Details?: Record<string, string> }[];
  let engine = components.find((c) => c.Name === 'Engine');
  if (engine?.Details?.['BuildTime'] !== undefined) engine.Details['BuildTime'] = ansicDate(engine.Details['BuildTime']);
  if (!engine) {
    engine = {
      Name: 'Engine',
      Version: String(v['Version'] ?? ''),
      Details: {
        ApiVersion: String(v['ApiVersion'] ?? ''), MinAPIVersion: String(v['MinAPIVersion'] ?? ''), GitCommit: String(v['GitCommit'] ?? ''),
        GoVersion: String(v['GoVersion'] ?? ''), Os: String(v['Os'] ?? ''), Arch: String(v['Arch'] ?? ''),
        BuildTime: ansicDate(String(v['BuildTime'] ?? '')), Experimental: String(v['Experimental'] === true),
      },
    };
    components.push(engine);
  }
  const out: Record<string, unknown> = {};
  if (v['Platform']) out['Platform'] = v['Platform'];
  out['Components'] = components;
  for (const key of ['Version', 'ApiVersion', 'MinAPIVersion', 'GitCommit', 'GoVersion', 'Os', 'Arch']) out[key] = v[key] ?? '';
  if (v['KernelVersion']) out['KernelVersion'] = v['KernelVersion'];
  if (v['Experimental'] === true) out['Experimental'] = true;
  if (v['BuildTime']) out['BuildTime'] = v['BuildTime'];
  return out;
}

/** An RFC 3339 time in Go's time.ANSIC layout ("Mon Jan _2 15:04:05 2006"), UTC as parsed; anything else unchanged. */
function ansicDate(text: string): string {
  if (!/^\d{4}-\d\d-\d\dT/.test(text)) return text;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return text;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
