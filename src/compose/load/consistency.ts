/**
 * Semantic checks on the typed project, with compose-go's words
 * (checkConsistency and graph.CheckCycle): a service needs an image or a
 * build; networks, volumes, secrets, configs and services it names must
 * exist; depends_on must not cycle; a mount target is used once.
 */
import { InvalidParameterError } from '../../util/errors.ts';
import type { Project } from './model.ts';

const INVALID = 'invalid compose project';

export function checkConsistency(p: Project): void {
  const fail = (m: string): never => {
    throw new InvalidParameterError(m);
  };
  for (const name of Object.keys(p.services).sort()) {
    const s = p.services[name]!;
    if (s.build === undefined && !s.image && s['provider'] === undefined) fail(`service "${name}" has neither an image nor a build context specified: ${INVALID}`);
    if (s.build?.dockerfile_inline && s.build.dockerfile) fail(`service "${name}" declares mutualy exclusive dockerfile and dockerfile_inline: ${INVALID}`);
    if (s.network_mode && s.networks && Object.keys(s.networks).length > 0) fail(`service ${name} declares mutually exclusive \`network_mode\` and \`networks\`: ${INVALID}`);
    for (const n of Object.keys(s.networks ?? {})) if (!p.networks[n]) fail(`service "${name}" refers to undefined network ${n}: ${INVALID}`);
    const test = s.healthcheck?.test;
    if (test && test.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(test[0]!)) fail('healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"');
    for (const [dep, cfg] of Object.entries(s.depends_on ?? {})) {
      if (p.services[dep]) continue;
      if (p.disabled_services[dep] && !cfg.required) continue;
      fail(`service "${name}" depends on undefined service "${dep}": ${INVALID}`);
    }
    if (s.network_mode?.startsWith('service:')) {
      const other = s.network_mode.slice('service:'.length);
      if (!p.services[other] && !p.disabled_services[other]) fail(`service "${other}" not found for network_mode 'service:${other}'`);
    }
    for (const v of s.volumes ?? []) {
      if (v.type === 'volume' && v.source && !p.volumes[v.source]) fail(`service "${name}" refers to undefined volume ${v.source}: ${INVALID}`);
    }
    for (const c of s.configs ?? []) if (!p.configs[c.source]) fail(`service "${name}" refers to undefined config ${c.source}: ${INVALID}`);
    for (const c of s.secrets ?? []) if (!p.secrets[c.source]) fail(`service "${name}" refers to undefined secret ${c.source}: ${INVALID}`);
    const build = s.build as { secrets?: { source: string }[] } | undefined;
    for (const c of build?.secrets ?? []) if (!p.secrets[c.source]) fail(`service "${name}" refers to undefined build secret ${c.source}: ${INVALID}`);
    const replicas = s.deploy?.replicas;
    if (s.scale !== undefined && replicas !== undefined && s.scale !== replicas) fail(`services.${name}: can't set distinct values on 'scale' and 'deploy.replicas': ${INVALID}`);
    if (s.scale !== undefined && s.scale < 0) fail(`services.${name}.scale: must be greater than or equal to 0`);
    if (replicas !== undefined && replicas < 0) fail(`services.${name}.deploy.replicas: must be greater than or equal to 0`);
    if ((s.scale ?? replicas ?? 1) > 1 && s.container_name) {
      // compose-go swaps the two arguments in this message; Docker Compose prints it so.
      fail(`services.${s.scale === undefined ? 'deploy.replicas' : 'scale'}: can't set container_name and ${name} as container name must be unique: ${INVALID}`);
    }
    const mounts = new Map<string, string>();
    (s.tmpfs ?? []).forEach((t, i) => {
      const target = t.split(':')[0] as string;
      const loc = `services.${name}.tmpfs[${i}]`;
      if (mounts.has(target)) fail(`${loc}: target ${target} already mounted as ${mounts.get(target)}`);
      mounts.set(target, loc);
    });
    (s.volumes ?? []).forEach((v, i) => {
      const loc = `services.${name}.volumes[${i}]`;
      if (mounts.has(v.target)) fail(`${loc}: target ${v.target} already mounted as ${mounts.get(v.target)}`);
      mounts.set(v.target, loc);
    });
  }
  for (const name of Object.keys(p.secrets).sort()) {
    const sec = p.secrets[name]!;
    if (!sec.external && sec.file === undefined && sec.environment === undefined && sec.content === undefined) {
      fail(`secret "${name}" must declare either \`file\` or \`environment\`: ${INVALID}`);
    }
  }
  checkCycle(p);
}

/** graph.CheckCycle: services in name order, children in name order; the first cycle found is reported. */
function checkCycle(p: Project): void {
  const children = (n: string) => Object.keys(p.services[n]?.depends_on ?? {}).filter((d) => p.services[d]).sort();
  const search = (path: string[]): void => {
    for (const child of children(path[path.length - 1]!)) {
      const i = path.indexOf(child);
      if (i >= 0) throw new InvalidParameterError(`dependency cycle detected: ${path.slice(i).join(' -> ')} -> ${child}`);
      search([...path, child]);
    }
  };
  for (const name of Object.keys(p.services).sort()) search([name]);
}

/** Whether a service is enabled by the active profiles (compose-go's HasProfile). */
export function hasProfile(profiles: string[] | undefined, active: string[]): boolean {
  if (!profiles || profiles.length === 0) return true;
  return active.includes('*') || profiles.some((p) => active.includes(p));
}

/** Services in dependency order (dependencies first), ties by name. */
export function dependencyOrder(p: Project, names = Object.keys(p.services)): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n) || !p.services[n]) return;
    seen.add(n);
    for (const d of Object.keys(p.services[n]!.depends_on ?? {}).sort()) visit(d);
    out.push(n);
  };
  for (const n of [...names].sort()) visit(n);
  return out;
}
