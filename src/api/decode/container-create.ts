/**
 * Decodes the body of POST /containers/create: Docker's ContainerConfig
 * fields at the top level plus HostConfig and NetworkingConfig, checked
 * against the contract with dockerd's words (`body-validator.ts`) before
 * anything reaches the engine.
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { decodeBody } from './body-validator.ts';

export function decodeCreateBody(body: unknown): { config: ContainerConfig; hostConfig: HostConfig; networkingConfig?: unknown } {
  // null decodes to an empty wrapper in Go; the engine then says what is missing.
  const value = (decodeBody('ContainerCreate', body) ?? {}) as Record<string, unknown>;
  const { HostConfig: host, NetworkingConfig: networking, ...rest } = value;
  const config = rest as ContainerConfig;
  // Docker accepts a string for Cmd/Entrypoint (strslice) and treats it as a one-word command.
  if (typeof config.Cmd === 'string') config.Cmd = [config.Cmd];
  if (typeof config.Entrypoint === 'string') config.Entrypoint = [config.Entrypoint];
  if (typeof config.Shell === 'string') config.Shell = [config.Shell];
  const hostConfig = (host ?? {}) as HostConfig & { CapAdd?: unknown; CapDrop?: unknown };
  if (typeof hostConfig.CapAdd === 'string') hostConfig.CapAdd = [hostConfig.CapAdd];
  if (typeof hostConfig.CapDrop === 'string') hostConfig.CapDrop = [hostConfig.CapDrop];
  return { config, hostConfig, networkingConfig: networking ?? undefined };
}
