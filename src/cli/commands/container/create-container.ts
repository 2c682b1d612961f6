/**
 * The create step shared by `create` and `run`: POST /containers/create,
 * and when the image is missing docker's "Unable to find image" line, a
 * pull (POST /images/create), and one retry. Warnings go to stderr; --cidfile
 * is written as docker writes it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Cli } from '../../cli.ts';
import { containerCreate } from '../../../client/containers.ts';
import { ApiError } from '../../../client/errors.ts';
import { isNameOnly, parseNamed } from '../../registry/reference.ts';
import { pullReference } from '../../registry/pull.ts';
import { familiarName, splitReference } from '../../format/reference.ts';
import { StatusError } from '../../errors.ts';

const WINDOWS_ONLY: Array<[string, string]> = [
  ['CpuCount', '--cpu-count'],
  ['CpuPercent', '--cpu-percent'],
  ['IOMaximumBandwidth', '--io-maxbandwidth'],
  ['IOMaximumIOps', '--io-maxiops'],
];

/** Docker refuses Windows-only settings client-side when the daemon is not on Windows (exit 1). */
export async function checkDaemonPlatform(cli: Cli, body: Record<string, unknown>): Promise<void> {
  const host = (body['HostConfig'] ?? {}) as Record<string, unknown>;
  const used = WINDOWS_ONLY.find(([field]) => host[field] !== undefined && host[field] !== 0);
  if (!used) return;
  const osType = (await cli.api().ping()).osType ?? 'linux';
  if (osType !== 'windows') throw new StatusError(`"${used[1]}" is only supported on a Docker daemon running on windows, but the Docker daemon is running on ${osType}`, 1);
}

/** "busybox" → "busybox:latest" as docker prints it in "Unable to find image". */
export function imageWithTag(image: string): string {
  const r = splitReference(image);
  if (r.digest !== undefined) return familiarName(r.name) + '@' + r.digest;
  return `${familiarName(r.name)}:${r.tag ?? 'latest'}`;
}

/** docker's create-time pull: the image's registry credentials, progress on stderr (nothing with -q). */
async function pullImage(cli: Cli, image: string, platform: string, quiet: boolean): Promise<void> {
  let ref = parseNamed(image);
  if (isNameOnly(ref)) ref = { ...ref, tag: 'latest' };
  await pullReference(cli, ref, { platform, out: quiet ? undefined : cli.err });
}

export async function createContainer(
  cli: Cli,
  body: Record<string, unknown>,
  opts: { name: string; platform: string; pull: string; cidfile: string; image: string; quiet?: boolean },
): Promise<string> {
  if (opts.cidfile && existsSync(opts.cidfile)) {
    throw new Error(`container ID file found, make sure the other container isn't running or delete ${opts.cidfile}`);
  }
  const api = cli.api();
  const create = () => containerCreate(api, body, { name: opts.name, platform: opts.platform });
  let res;
  if (opts.pull === 'always') await pullImage(cli, opts.image, opts.platform, opts.quiet ?? false);
  try {
    res = await create();
  } catch (err) {
    if (!(err instanceof ApiError) || err.statusCode !== 404 || !/image/i.test(err.message) || opts.pull === 'never') throw err;
    cli.err.write(`Unable to find image '${imageWithTag(opts.image)}' locally\n`);
    await pullImage(cli, opts.image, opts.platform, opts.quiet ?? false);
    res = await create();
  }
  for (const w of res.Warnings ?? []) cli.err.write(`WARNING: ${w}\n`);
  if (opts.cidfile) writeFileSync(opts.cidfile, res.Id, { mode: 0o644 });
  return res.Id;
}
