/**
 * `berth compose config`: the project in canonical form, as `docker compose
 * config` renders it (YAML or JSON, `$` doubled so the output loads back
 * the same), or one list (--services, --volumes, --networks, --profiles,
 * --images); -q only validates. --resolve-image-digests is accepted and does
 * nothing (no registry is asked).
 */
import { writeFileSync } from 'node:fs';
import { StatusError } from '../../errors.ts';
import { dependencyOrder } from '../../../compose/load/consistency.ts';
import { formatJson, formatYaml, projectTree, rawTree } from '../../../compose/load/format-config.ts';
import type { ComposeCommandSpec } from './index.ts';
import { loadComposeModel, loadComposeProject, printWarnings } from './project-flags.ts';

export const command: ComposeCommandSpec = {
  usage: '[OPTIONS] [SERVICE...]',
  short: 'Show the Compose model after loading, merging and interpolation',
  flags: [
    { long: 'environment', type: 'bool', usage: 'Print the variables interpolation saw' },
    { long: 'format', type: 'string', usage: 'Output format: yaml or json' },
    { long: 'images', type: 'bool', usage: 'List the images, one a line' },
    { long: 'networks', type: 'bool', usage: 'List the networks, one a line' },
    { long: 'no-consistency', type: 'bool', usage: 'Skip the consistency checks (the output may not be a valid Compose file)' },
    { long: 'no-env-resolution', type: 'bool', usage: "Leave services' env_file entries as they are", hidden: true },
    { long: 'no-interpolate', type: 'bool', usage: 'Leave ${VARIABLES} as written' },
    { long: 'output', short: 'o', type: 'string', usage: 'Write to this file instead of standard output' },
    { long: 'profiles', type: 'bool', usage: 'List the profiles, one a line' },
    { long: 'quiet', short: 'q', type: 'bool', usage: 'Check the files and print nothing' },
    { long: 'resolve-image-digests', type: 'bool', usage: 'Replace image tags with their digests' },
    { long: 'services', type: 'bool', usage: 'List the services, one a line' },
    { long: 'volumes', type: 'bool', usage: 'List the volumes, one a line' },
  ],
  async run({ cli, flags, args, compose }) {
    const lines = (list: string[]) => {
      if (!flags.bool('quiet')) cli.out.write(list.map((l) => `${l}\n`).join(''));
    };
    const interpolate = !flags.bool('no-interpolate');
    if (!interpolate && flags.bool('services')) {
      return lines(Object.keys((loadComposeModel(cli, compose, { interpolate }).services ?? {}) as object));
    }
    // Like Docker Compose, --services, --volumes and --networks list the whole project whatever SERVICE names.
    const whole = ['services', 'volumes', 'networks', 'environment'].some((f) => flags.bool(f));
    const format = flags.str('format') || 'yaml';
    if (!whole && !interpolate) {
      if (format !== 'yaml' && format !== 'json') throw new StatusError(`unsupported format "${format}"`, 1);
      if (args.length > 0) printWarnings(cli, ['service filtering is not applied when --no-interpolate is set, the full model will be rendered']);
      const tree = rawTree(loadComposeModel(cli, compose, { interpolate }));
      return emit(format === 'json' ? formatJson(tree, false) : formatYaml(tree));
    }
    const { project } = loadComposeProject(cli, compose, { interpolate, services: whole ? [] : args, consistency: !flags.bool('no-consistency') });
    if (flags.bool('services')) return lines(dependencyOrder(project));
    if (flags.bool('volumes')) return lines(Object.keys(project.volumes).sort());
    if (flags.bool('networks')) return lines(Object.keys(project.networks).sort());
    if (flags.bool('profiles')) {
      const all = [...Object.values(project.services), ...Object.values(project.disabled_services)];
      return lines([...new Set(all.flatMap((s) => s.profiles ?? []))].sort());
    }
    if (flags.bool('images')) return lines(Object.keys(project.services).sort().map((n) => project.services[n]!.image || `${project.name}-${n}`));
    if (flags.bool('environment')) return lines(Object.keys(project.environment).sort().map((k) => `${k}=${project.environment[k]}`));
    if (format !== 'yaml' && format !== 'json') throw new StatusError(`unsupported format "${format}"`, 1);
    const tree = projectTree(project, format === 'json');
    // Docker Compose doubles every `$` of the interpolated output, so that it loads back to the same model.
    return emit((format === 'json' ? formatJson(tree) : formatYaml(tree)).replaceAll('$', '$$$$'));

    function emit(text: string): number {
      if (flags.bool('quiet')) return 0;
      const output = flags.str('output');
      if (output) writeFileSync(output, text);
      else cli.out.write(text);
      return 0;
    }
  },
};
