/**
 * The attributes dockerd's json-file logger attaches to each line, shown by
 * `docker logs --details` (moby's logger.Info.ExtraAttributes plus `tag`):
 * the labels and environment variables its log options name (`labels`,
 * `labels-regex`, `env`, `env-regex`) and the `tag`, written as dockerd
 * writes them: sorted by key, query-escaped, `k=v` joined with commas.
 */
import type { ContainerRecord } from './record.ts';

export function logDetails(record: ContainerRecord): string {
  const opts = record.hostConfig.LogConfig?.Config ?? {};
  const attrs = new Map<string, string>();
  const labels = record.config.Labels ?? {};
  const names = (list: string | undefined) => (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const key of names(opts['labels'])) if (key in labels) attrs.set(key, labels[key]!);
  if (opts['labels-regex']) {
    const re = new RegExp(opts['labels-regex']);
    for (const [k, v] of Object.entries(labels)) if (re.test(k)) attrs.set(k, v);
  }
  const env = new Map<string, string>();
  for (const e of record.config.Env ?? []) {
    const i = e.indexOf('=');
    if (i > 0) env.set(e.slice(0, i), e.slice(i + 1));
  }
  for (const key of names(opts['env'])) if (env.has(key)) attrs.set(key, env.get(key)!);
  if (opts['env-regex']) {
    const re = new RegExp(opts['env-regex']);
    for (const [k, v] of env) if (re.test(k)) attrs.set(k, v);
  }
  if (opts['tag']) attrs.set('tag', renderTag(opts['tag'], record));
  const escape = (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...attrs.keys()]
    .sort()
    .map((k) => `${escape(k)}=${escape(attrs.get(k)!)}`)
    .join(',');
}

/** The common fields of a log tag template ({{.ID}}, {{.FullID}}, {{.Name}}, {{.ImageID}}…); other text as written. */
function renderTag(tag: string, record: ContainerRecord): string {
  const fields: Record<string, string> = {
    ID: record.id.slice(0, 12),
    FullID: record.id,
    Name: record.name.replace(/^\//, ''),
    ImageID: record.image.replace(/^sha256:/, '').slice(0, 12),
    ImageFullID: record.image,
    ImageName: record.config.Image ?? '',
    DaemonName: 'docker',
  };
  return tag.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, name: string) => fields[name] ?? whole);
}
