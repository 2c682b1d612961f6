/**
 * Side by side with Docker 20.10's classic builder (the reference engine,
 * when it runs): the same Dockerfile through POST /build on both, the
 * stream's lines compared with IDs masked, then the image's history
 * (created_by, empty layers) and config compared field by field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, requireRoot, startDaemon } from '../../helpers/daemon.ts';
import { REFERENCE_DOCKER_HOST, referenceDockerRunning } from '../../helpers/reference-docker.ts';
import { makeTar, post } from './api-helpers.ts';

const DOCKERFILE = `ARG BASE
FROM $BASE AS base
ARG A=1
ENV x=y z="w v"
LABEL a=b
RUN echo hi $A > /hi
WORKDIR /work/dir
EXPOSE 80 443/udp
USER nobody
CMD ["sh"]
ENTRYPOINT echo ep
VOLUME /v
STOPSIGNAL SIGKILL
HEALTHCHECK --interval=5s --retries=2 CMD true
ONBUILD RUN echo trig
SHELL ["/bin/sh","-c"]
RUN echo after
COPY f.txt /dst/
FROM base
RUN echo from-base
COPY --from=base /hi /copied
`;

function masked(lines: Record<string, unknown>[]): string[] {
  return lines.map((l) => JSON.stringify(l).replace(/sha256:[0-9a-f]{64}/g, 'sha256:ID').replace(/[0-9a-f]{12}/g, 'ID'));
}

/** The Copier's content key (`file:<sum>`) is its own: masked. */
function maskKeys(text: string): string {
  return text.replace(/(file|dir|multi):[0-9a-f]{64}/g, '$1:SUM');
}

async function buildOn(socket: string, base: string): Promise<{ lines: string[]; id: string }> {
  const body = await makeTar([{ name: 'Dockerfile', body: DOCKERFILE }, { name: 'f.txt', body: 'hello\n' }]);
  const q = new URLSearchParams({ t: 'parity:1', buildargs: JSON.stringify({ BASE: base, A: '7', UNUSED: 'x' }), labels: JSON.stringify({ l: 'v' }), forcerm: '1', nocache: '1' });
  const reply = await post(socket, `/v1.41/build?${q}`, body);
  assert.equal(reply.status, 200, reply.text);
  const aux = reply.lines.filter((l) => l['aux']).at(-1)?.['aux'] as { ID: string };
  return { lines: masked(reply.lines), id: aux.ID };
}

test('the classic builder\'s stream, history and config match Docker 20.10 for the same Dockerfile', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  if (!referenceDockerRunning()) {
    t.skip('the reference Docker engine is not running');
    return;
  }
  const d = await startDaemon(t);
  const refSocket = REFERENCE_DOCKER_HOST.replace('unix://', '');
  const ours = await buildOn(d.socket, 'busybox');
  const theirs = await buildOn(refSocket, 'busybox-ref');
  assert.deepEqual(ours.lines, theirs.lines);

  const history = async (socket: string, id: string) => {
    const r = await apiRequest(socket, 'GET', `/v1.41/images/${id}/history`);
    return (r.body as { CreatedBy: string; Size: number }[]).slice(0, -1).map((h) => `${maskKeys(h.CreatedBy)} ${h.Size > 0 ? 'layer' : 'empty'}`);
  };
  assert.deepEqual(await history(d.socket, ours.id), await history(refSocket, theirs.id));

  const config = async (socket: string, id: string) => {
    const r = await apiRequest(socket, 'GET', `/v1.41/images/${id}/json`);
    const body = r.body as { Config: Record<string, unknown>; ContainerConfig: Record<string, unknown>; RootFS: { Layers: string[] } };
    const strip = (c: Record<string, unknown>) => ({ ...c, Image: c['Image'] ? 'ID' : '', Hostname: c['Hostname'] ? 'ID' : '', Cmd: (c['Cmd'] as string[] | null)?.map(maskKeys) ?? null });
    return { config: strip(body.Config), containerConfig: strip(body.ContainerConfig), layers: body.RootFS.Layers.length };
  };
  const [a, b] = [await config(d.socket, ours.id), await config(refSocket, theirs.id)];
  assert.deepEqual(a.config, b.config);
  assert.deepEqual(a.containerConfig, b.containerConfig);
  assert.equal(a.layers, b.layers);
  await apiRequest(refSocket, 'DELETE', '/v1.41/images/parity:1');
});

test('a cached rebuild and a failing RUN read as Docker 20.10\'s', { timeout: 180_000 }, async (t) => {
  if (!requireRoot(t)) return;
  if (!referenceDockerRunning()) {
    t.skip('the reference Docker engine is not running');
    return;
  }
  const d = await startDaemon(t);
  const refSocket = REFERENCE_DOCKER_HOST.replace('unix://', '');
  const run = async (socket: string, base: string, dockerfile: string, extra: Record<string, string> = {}) => {
    const body = await makeTar([{ name: 'Dockerfile', body: dockerfile }]);
    const q = new URLSearchParams({ buildargs: JSON.stringify({ BASE: base }), ...extra });
    const reply = await post(socket, `/v1.41/build?${q}`, body);
    return masked(reply.lines);
  };
  const cached = `ARG BASE\nFROM $BASE\nENV PARITY=${Date.now()}\nRUN echo built > /b\nCMD ["cat", "/b"]\n`;
  for (const [socket, base] of [[d.socket, 'busybox'], [refSocket, 'busybox-ref']] as const) await run(socket, base, cached);
  assert.deepEqual(await run(d.socket, 'busybox', cached), await run(refSocket, 'busybox-ref', cached));

  const failing = 'ARG BASE\nFROM $BASE\nRUN echo out; exit 7\n';
  for (const extra of [{ forcerm: '1' }, { rm: '1' }] as Record<string, string>[]) {
    assert.deepEqual(await run(d.socket, 'busybox', failing, extra), await run(refSocket, 'busybox-ref', failing, extra));
  }
  // Without forcerm the reference leaves the failed step's container (berth removes it): removed here.
  const left = await apiRequest(refSocket, 'GET', '/v1.41/containers/json?all=1&filters=' + encodeURIComponent(JSON.stringify({ status: ['exited'] })));
  for (const c of left.body as { Id: string; Command: string }[]) if (c.Command.includes('exit 7')) await apiRequest(refSocket, 'DELETE', `/v1.41/containers/${c.Id}?force=1`);
});
