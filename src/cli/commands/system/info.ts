/** `berth info`: the common part of docker's report (Client, then Server), or --format over /info. */
import type { CommandSpec } from '../../command.ts';
import { systemInfo } from '../../../client/system.ts';
import { parseTemplate } from '../../format/template.ts';
import { bytesSize } from '../../format/units.ts';
import { describeError } from '../../errors.ts';

export const command: CommandSpec = {
  usage: '[OPTIONS]',
  short: 'Display system-wide information',
  aliases: ['system info', 'info'],
  args: { exact: 0 },
  flags: [{ long: 'format', short: 'f', type: 'string', usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates" }],
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
      ` Logging Driver: ${v('LoggingDriver')}`,
      ` Cgroup Driver: ${v('CgroupDriver')}`,
      ` Cgroup Version: ${v('CgroupVersion')}`,
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
      ` Experimental: ${String(info['ExperimentalBuild'] ?? false)}`,
      ` Live Restore Enabled: ${String(info['LiveRestoreEnabled'] ?? false)}`,
    ];
    cli.out.write(lines.join('\n') + '\n\n');
  },
};
