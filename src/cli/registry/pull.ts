/**
 * A pull as the docker CLI does it (cli/command/image/pull.go and the
 * create-time pull of `run`/`create`): the credentials of the reference's
 * registry as X-Registry-Auth, POST /images/create with the familiar name and
 * the tag or digest, and the progress stream drawn on `out`.
 */
import type { Cli } from '../cli.ts';
import { imagePull } from '../../client/images.ts';
import { printJsonMessages } from '../format/progress.ts';
import { familiarNamed, type NamedReference } from './reference.ts';
import { registryAuthFor } from './registry-auth.ts';

export async function pullReference(cli: Cli, ref: NamedReference, o: { all?: boolean; platform?: string; out: NodeJS.WritableStream | undefined }): Promise<void> {
  const tag = o.all ? undefined : (ref.digest ?? ref.tag ?? 'latest');
  const res = await imagePull(cli.api(), { fromImage: familiarNamed(ref), tag, platform: o.platform }, registryAuthFor(cli, ref.domain));
  if (!o.out) {
    await printJsonMessages(res, { write: () => true } as unknown as NodeJS.WritableStream, { terminal: false });
    return;
  }
  await printJsonMessages(res, o.out);
}
