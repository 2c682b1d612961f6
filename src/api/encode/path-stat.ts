/**
 * The `X-Docker-Container-Path-Stat` header of GET and HEAD
 * /containers/{id}/archive: the path's stat (as the engine reports it) in
 * the form the docker CLI decodes, base64 of the JSON.
 */
import type { PathStat } from '../../engine/containers/archive.ts';

export const PATH_STAT_HEADER = 'X-Docker-Container-Path-Stat';

/** The header value: base64 of the JSON, fields in Docker's order (name, size, mode, mtime, linkTarget). */
export function encodePathStat(stat: PathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}
