/**
 * The inspect machinery shared by `inspect`, `container inspect` and
 * `image inspect`: fetch each object's raw JSON, print them as docker's
 * indented array or through --format (decoded JSON, missingkey=error), and
 * report the misses after the hits (exit 1).
 */
import type { Cli } from '../cli.ts';
import type { ApiClient } from '../../client/api-client.ts';
import { readAll } from '../../client/api-client.ts';
import { ApiError } from '../../client/errors.ts';
import { MultiError, StatusError } from '../errors.ts';
import { formatInspectArray } from '../format/json-indent.ts';
import { goNilSlice, parseTemplate } from '../format/template.ts';

export type InspectKind = 'container' | 'image' | 'network' | 'volume';

export async function fetchRaw(api: ApiClient, kind: InspectKind, ref: string, size: boolean): Promise<string> {
  const id = encodeURIComponent(ref);
  const path = kind === 'container' ? `/containers/${id}/json` : kind === 'network' ? `/networks/${id}` : kind === 'volume' ? `/volumes/${id}` : `/images/${id}/json`;
  const res = await api.stream({ method: 'GET', path, query: { size: kind === 'container' && size ? true : undefined } });
  return (await readAll(res)).toString('utf8');
}

/** The Engine API's inspect route of the other object types (network, volume, swarm objects, plugins). */
export async function fetchOther(api: ApiClient, type: string, ref: string): Promise<string> {
  const id = encodeURIComponent(ref);
  const path = type === 'volume' ? `/volumes/${id}` : type === 'plugin' ? `/plugins/${id}/json` : `/${type}s/${id}`;
  const res = await api.stream({ method: 'GET', path });
  return (await readAll(res)).toString('utf8');
}

export async function runInspect(cli: Cli, refs: string[], format: string, lookup: (ref: string) => Promise<string>): Promise<void> {
  let tmpl: ReturnType<typeof parseTemplate> | undefined;
  if (format) {
    try {
      tmpl = parseTemplate(format === 'json' ? '{{json .}}' : format, { missingKey: 'error' });
    } catch (err) {
      // docker's cli.StatusError{StatusCode: 64} for a template that does not parse.
      throw new StatusError(`template parsing error: ${err instanceof Error ? err.message : String(err)}`, 64);
    }
  }
  // As docker's inspect.Inspect: misses and template failures are collected in order, reported after the output.
  const found: string[] = [];
  let out = '';
  const errors: unknown[] = [];
  for (const ref of refs) {
    let raw: string;
    try {
      raw = await lookup(ref);
    } catch (err) {
      errors.push(err);
      continue;
    }
    if (!tmpl) {
      found.push(raw);
      continue;
    }
    try {
      out += tmpl.execute(withTypedNils(JSON.parse(raw))) + '\n';
    } catch (err) {
      errors.push(new Error(`template parsing error: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
  // A template inspector that printed nothing still ends the output with a newline, as docker's Flush does.
  cli.out.write(tmpl ? out || '\n' : formatInspectArray(found));
  if (errors.length) throw new MultiError(errors);
}

/** A 404 for one kind means "try the next kind"; anything else is a real error. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.statusCode === 404;
}

/** Fields of docker's inspect structs that are slices: a JSON null there is a typed nil slice (len 0), not an untyped nil. */
const SLICE_FIELDS = new Set([
  'ExecIDs', 'Args', 'Binds', 'Links', 'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts', 'GroupAdd', 'CapAdd', 'CapDrop', 'SecurityOpt',
  'Devices', 'DeviceCgroupRules', 'DeviceRequests', 'Ulimits', 'BlkioWeightDevice', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps',
  'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'Mounts', 'MaskedPaths', 'ReadonlyPaths', 'VolumesFrom', 'Cmd', 'Entrypoint', 'Env',
  'OnBuild', 'Shell', 'RepoTags', 'RepoDigests', 'Layers', 'ConsoleSize', 'Log',
]);

function withTypedNils(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withTypedNils);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = v === null && SLICE_FIELDS.has(k) ? goNilSlice() : withTypedNils(v);
  return out;
}
