/**
 * Narrowing a loaded project, as compose-go's WithSelectedServices and
 * WithoutUnnecessaryResources: the services named (and what they depend on)
 * stay enabled; networks, volumes, secrets and configs no enabled service
 * uses are dropped.
 */
import { NotFoundError } from '../../util/errors.ts';
import type { Project } from './model.ts';

export function selectServices(p: Project, names: string[]): Project {
  const keep = new Set<string>();
  const visit = (n: string) => {
    if (keep.has(n)) return;
    const s = p.services[n];
    if (!s) throw new NotFoundError(`no such service: ${n}`);
    keep.add(n);
    for (const [d, cfg] of Object.entries(s.depends_on ?? {})) {
      if (p.services[d]) visit(d);
      else if (cfg.required) throw new NotFoundError(`no such service: ${d}`);
    }
  };
  names.forEach(visit);
  const services: Project['services'] = {};
  const disabled = { ...p.disabled_services };
  for (const [n, s] of Object.entries(p.services)) {
    if (keep.has(n)) services[n] = s;
    else disabled[n] = s;
  }
  return { ...p, services, disabled_services: disabled };
}

export function pruneResources(p: Project): Project {
  const networks = new Set<string>();
  const volumes = new Set<string>();
  const secrets = new Set<string>();
  const configs = new Set<string>();
  for (const s of Object.values(p.services)) {
    Object.keys(s.networks ?? {}).forEach((n) => networks.add(n));
    for (const v of s.volumes ?? []) if (v.type === 'volume' && v.source) volumes.add(v.source);
    (s.secrets ?? []).forEach((x) => secrets.add(x.source));
    (s.configs ?? []).forEach((x) => configs.add(x.source));
    for (const x of (s.build?.['secrets'] as { source: string }[] | undefined) ?? []) secrets.add(x.source);
  }
  const pick = <T>(all: Record<string, T>, used: Set<string>) => Object.fromEntries(Object.entries(all).filter(([k]) => used.has(k)));
  return { ...p, networks: pick(p.networks, networks), volumes: pick(p.volumes, volumes), secrets: pick(p.secrets, secrets), configs: pick(p.configs, configs) };
}
