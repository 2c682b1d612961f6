/** Exec routes of the Engine API (swagger tag "Exec"). */
import type { RawConn } from './transport.ts';
import type { ApiClient } from './api-client.ts';
import type { ExecInspect } from './types.ts';

export interface ExecConfig {
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  DetachKeys?: string;
  Tty: boolean;
  Env?: string[];
  Cmd: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
  ConsoleSize?: [number, number];
}

export function execCreate(api: ApiClient, container: string, config: ExecConfig): Promise<{ Id: string }> {
  return api.json({ method: 'POST', path: `/containers/${encodeURIComponent(container)}/exec`, body: config });
}

export async function execStartDetached(api: ApiClient, id: string, tty: boolean): Promise<void> {
  await api.json({ method: 'POST', path: `/exec/${id}/start`, body: { Detach: true, Tty: tty } });
}

/** Start attached: the hijacked connection carries the process's stdio. */
export function execStartAttached(api: ApiClient, id: string, tty: boolean): Promise<RawConn> {
  return api.hijack({ method: 'POST', path: `/exec/${id}/start`, body: { Detach: false, Tty: tty } });
}

export function execInspect(api: ApiClient, id: string): Promise<ExecInspect> {
  return api.json({ method: 'GET', path: `/exec/${id}/json` });
}

export async function execResize(api: ApiClient, id: string, h: number, w: number): Promise<void> {
  await api.json({ method: 'POST', path: `/exec/${id}/resize`, query: { h, w } });
}
