/** `images` rows as docker's imageContext presents them (one per repo:tag). */
import type { ImageSummary } from '../../client/types.ts';
import { humanSize, timeAgo } from './units.ts';
import { familiarName, splitReference, truncateId } from './reference.ts';
import { formatGoTime } from './go-time.ts';

export const IMAGES_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGES_TABLE_DIGEST = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGES_HEADER: Record<string, string> = {
  Repository: 'REPOSITORY', Tag: 'TAG', ID: 'IMAGE ID', Digest: 'DIGEST', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT',
  Size: 'SIZE', Containers: 'CONTAINERS', VirtualSize: 'VIRTUAL SIZE', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE',
};

export function imageRows(img: ImageSummary, opts: { trunc: boolean; digests: boolean; now: number }): object[] {
  const make = (repo: string, tag: string, digest: string): object => {
    const labels = img.Labels ?? {};
    const row: Record<string, string> = {
      Containers: img.Containers === -1 ? 'N/A' : String(img.Containers),
      CreatedAt: formatGoTime(img.Created),
      CreatedSince: timeAgo(img.Created, opts.now),
      Digest: digest,
      ID: opts.trunc ? truncateId(img.Id) : img.Id,
      Repository: repo,
      // docker/cli: Size with 3 significant digits, the others with units.HumanSize's 4 (VirtualSize is Size).
      SharedSize: img.SharedSize === -1 ? 'N/A' : humanSize(img.SharedSize, 4),
      Size: humanSize(img.Size, 3),
      Tag: tag,
      UniqueSize: img.Size === -1 || img.SharedSize === -1 ? 'N/A' : humanSize(img.Size - img.SharedSize, 4),
      VirtualSize: humanSize(img.Size, 4),
    };
    Object.defineProperty(row, 'Label', { enumerable: false, value: (k: string) => labels[k] ?? '' });
    return row;
  };
  const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const digs = (img.RepoDigests ?? []).filter((d) => d !== '<none>@<none>');
  if (tags.length === 0 && digs.length === 0) return [make('<none>', '<none>', '<none>')];
  const repoTags = new Map<string, string[]>();
  for (const t of tags) {
    const r = splitReference(t);
    if (r.tag === undefined) continue;
    const name = familiarName(r.name);
    repoTags.set(name, [...(repoTags.get(name) ?? []), r.tag]);
  }
  const repoDigests = new Map<string, string[]>();
  for (const d of digs) {
    const r = splitReference(d);
    if (r.digest === undefined) continue;
    const name = familiarName(r.name);
    repoDigests.set(name, [...(repoDigests.get(name) ?? []), r.digest]);
  }
  const rows: object[] = [];
  for (const [repo, tagList] of repoTags) {
    const ds = opts.digests ? (repoDigests.get(repo) ?? []) : [];
    repoDigests.delete(repo);
    for (const tag of tagList) {
      if (ds.length === 0) rows.push(make(repo, tag, '<none>'));
      else for (const d of ds) rows.push(make(repo, tag, d));
    }
  }
  for (const [repo, ds] of repoDigests) {
    if (opts.digests) for (const d of ds) rows.push(make(repo, '<none>', d));
    else rows.push(make(repo, '<none>', ''));
  }
  return rows;
}
