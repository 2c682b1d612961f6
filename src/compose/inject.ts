/**
 * Secrets and configs that are not files (`content:`, `environment:`) are
 * copied into the container after create, as Docker Compose v2 does
 * (injectSecrets/injectConfigs): one tar with the file at its target
 * (/run/secrets/<name>, /<name>), mode 0444 unless the service says
 * otherwise, through PUT /containers/{id}/archive.
 */
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { containerArchivePut } from '../client/containers.ts';
import type { Project, ServiceConfig } from './load/model.ts';
import type { ComposeEnv } from './state.ts';

interface Entry {
  target: string;
  content: string;
  mode: number;
  uid: number;
  gid: number;
}

/** The files to inject for a service (pure). */
export function injectedFiles(project: Project, s: ServiceConfig): Entry[] {
  const out: Entry[] = [];
  for (const kind of ['secrets', 'configs'] as const) {
    for (const r of s[kind] ?? []) {
      const def = project[kind][r.source];
      if (!def || def.file || def.external) continue;
      const content = def.content ?? (def.environment !== undefined ? project.environment[def.environment] : undefined);
      if (content === undefined) continue;
      const base = kind === 'secrets' ? '/run/secrets/' : '/';
      const target = r.target ? (r.target.startsWith('/') ? r.target : base + r.target) : base + r.source;
      out.push({ target, content, mode: r.mode ?? 0o444, uid: Number(r.uid ?? 0), gid: Number(r.gid ?? 0) });
    }
  }
  return out;
}

export async function injectFiles(env: ComposeEnv, project: Project, s: ServiceConfig, containerId: string): Promise<void> {
  const files = injectedFiles(project, s);
  if (files.length === 0) return;
  const pack = tar.pack();
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.target.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (dirs.has(d)) continue;
      dirs.add(d);
      pack.entry({ name: `${d}/`, type: 'directory', mode: 0o755 });
    }
    pack.entry({ name: parts.join('/'), mode: f.mode, uid: f.uid, gid: f.gid, mtime: new Date() }, f.content);
  }
  pack.finalize();
  await containerArchivePut(env.api, containerId, '/', Readable.from(pack));
}
