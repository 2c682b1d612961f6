/** `berth info`: the common part of docker's report (Client, then Server), or --format over /info. */
import type { CommandSpec } from '../../command.ts';
import { systemInfo } from '../../../client/system.ts';
import { parseTemplate } from '../../format/template.ts';
import { bytesSize } from '../../format/units.ts';
import { describeError } from '../../errors.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Show details about the Berth server and host',
  aliases: ['system info', 'info'],
  args: { exact: 0 },
  flags: [{ long: 'format', short: 'f', type: 'string', usage: "Choose the output layout:\n'json':             the object as JSON\n'TEMPLATE':         the object through a Go template\n(templates follow Go's text/template syntax)" }],
  async run({ cli, flags }) {
    const format = flags.str('format');
    let info: Record<string, unknown>;
    try {
      info = await systemInfo(cli.api());
    } catch (err) {
      if (format) throw err;
      cli.out.write(`Client:\n Version:    ${(await import('../../version-info.ts')).VERSION}\n Context:    ${cli.currentContext()}\n Debug Mode: ${cli.globals.debug}\n\nServer:\n`);
      throw new Error(`ERROR: ${describeError(err)}\nerrors pretty printing info`);
    }
    if (format) {
      cli.out.write(parseTemplate(format === 'json' ? '{{json .}}' : format).execute(info) + '\n');
      return;
    }
    const v = (k: string) => String(info[k] ?? '');
    const obj = (k: string) => (info[k] ?? {}) as Record<string, unknown>;
    const list = (x: unknown) => (Array.isArray(x) ? (x as unknown[]).map(String) : []);
    const lines = [
      'Client:',
      ` Version:    ${(await import('../../version-info.ts')).VERSION}`,
      ` Context:    ${cli.currentContext()}`,
      ` Debug Mode: ${cli.globals.debug}`,
      '',
      'Server:',
      ` Containers: ${v('Containers')}`,
      `  Running: ${v('ContainersRunning')}`,
      `  Paused: ${v('ContainersPaused')}`,
      `  Stopped: ${v('ContainersStopped')}`,
      ` Images: ${v('Images')}`,
      ` Server Version: ${v('ServerVersion')}`,
      ` Storage Driver: ${v('Driver')}`,
    ];
    // docker/cli's prettyPrintServerInfo, section by section.
    for (const pair of (info['DriverStatus'] ?? []) as string[][]) lines.push(`  ${pair[0]}: ${pair[1]}`);
    lines.push(` Logging Driver: ${v('LoggingDriver')}`, ` Cgroup Driver: ${v('CgroupDriver')}`);
    if (v('CgroupVersion')) lines.push(` Cgroup Version: ${v('CgroupVersion')}`);
    const plugins = obj('Plugins');
    lines.push(' Plugins:', `  Volume: ${list(plugins['Volume']).join(' ')}`, `  Network: ${list(plugins['Network']).join(' ')}`);
    if (list(plugins['Authorization']).length) lines.push(`  Authorization: ${list(plugins['Authorization']).join(' ')}`);
    lines.push(`  Log: ${list(plugins['Log']).join(' ')}`);
    lines.push(` Swarm: ${String(obj('Swarm')['LocalNodeState'] ?? '')}`);
    const runtimes = Object.keys(obj('Runtimes')).sort();
    if (runtimes.length) lines.push(` Runtimes: ${runtimes.join(' ')}`, ` Default Runtime: ${v('DefaultRuntime')}`);
    if (v('OSType') === 'linux') {
      lines.push(` Init Binary: ${v('InitBinary')}`);
      for (const [name, key] of [['containerd', 'ContainerdCommit'], ['runc', 'RuncCommit'], ['init', 'InitCommit']] as const) {
        const commit = obj(key) as { ID?: string; Expected?: string };
        const expected = commit.Expected !== undefined && commit.ID !== commit.Expected ? ` (expected: ${commit.Expected})` : '';
        lines.push(` ${name} version: ${commit.ID ?? ''}${expected}`);
      }
      const security = list(info['SecurityOptions']);
      if (security.length) {
        lines.push(' Security Options:');
        for (const option of security) {
          const fields = option.split(',').map((kv) => kv.split('=') as [string, string?]);
          lines.push(`  ${fields.find(([k]) => k === 'name')?.[1] ?? ''}`);
          for (const [key, value] of fields) if (key !== 'name') lines.push(`   ${key.charAt(0).toUpperCase()}${key.slice(1)}: ${value ?? ''}`);
        }
      }
    }
    lines.push(
      ` Kernel Version: ${v('KernelVersion')}`,
      ` Operating System: ${v('OperatingSystem')}`,
      ` OSType: ${v('OSType')}`,
      ` Architecture: ${v('Architecture')}`,
      ` CPUs: ${v('NCPU')}`,
      ` Total Memory: ${bytesSize(Number(info['MemTotal'] ?? 0))}`,
      ` Name: ${v('Name')}`,
      ` ID: ${v('ID')}`,
      ` Docker Root Dir: ${v('DockerRootDir')}`,
      ` Debug Mode: ${String(info['Debug'] ?? false)}`,
    );
    if (v('HttpProxy')) lines.push(` HTTP Proxy: ${v('HttpProxy')}`);
    if (v('HttpsProxy')) lines.push(` HTTPS Proxy: ${v('HttpsProxy')}`);
    if (v('NoProxy')) lines.push(` No Proxy: ${v('NoProxy')}`);
    const labels = list(info['Labels']);
    if (labels.length) lines.push(' Labels:', ...labels.map((l) => `  ${l}`));
    lines.push(` Experimental: ${String(info['ExperimentalBuild'] ?? false)}`);
    const registry = obj('RegistryConfig');
    const indexes = Object.values((registry['IndexConfigs'] ?? {}) as Record<string, { Name?: string; Secure?: boolean }>);
    const cidrs = list(registry['InsecureRegistryCIDRs']);
    if (cidrs.length || indexes.length) {
      lines.push(' Insecure Registries:', ...indexes.filter((i) => !i.Secure).map((i) => `  ${i.Name ?? ''}`), ...cidrs.map((c) => `  ${c}`));
    }
    const mirrors = list(registry['Mirrors']);
    if (mirrors.length) lines.push(' Registry Mirrors:', ...mirrors.map((m) => `  ${m}`));
    lines.push(` Live Restore Enabled: ${String(info['LiveRestoreEnabled'] ?? false)}`);
    cli.out.write(lines.join('\n') + '\n\n');
    for (const warning of list(info['Warnings'])) cli.err.write(`${warning}\n`);
  },
};
