/**
 * Decodes the body of POST /containers/create: Docker's ContainerConfig
 * fields at the top level plus HostConfig and NetworkingConfig, checked
 * against the contract with dockerd's words (`body-validator.ts`) before
 * anything reaches the engine.
 */
import type { ContainerConfig, HostConfig } from '../../wire/container-config.ts';
import { InvalidParameterError } from '../../util/errors.ts';
import { decodeBody } from './body-validator.ts';

export function decodeCreateBody(body: unknown): { config: ContainerConfig; hostConfig: HostConfig; networkingConfig?: unknown } {
  // null decodes to an empty wrapper in Go; the engine then says what is missing.
  const value = (decodeBody('ContainerCreate', body) ?? {}) as Record<string, unknown>;
  const { HostConfig: host, NetworkingConfig: networking, ...rest } = value;
  // Go allocates the embedded Config only for a field of its own: without one there is none.
  if (Object.keys(rest).length === 0) throw new InvalidParameterError('Config cannot be empty in order to create a container');
  const config = rest as ContainerConfig;
  // Docker accepts a string for Cmd/Entrypoint (strslice) and treats it as a one-word command.
  if (typeof config.Cmd === 'string') config.Cmd = [config.Cmd];
  if (typeof config.Entrypoint === 'string') config.Entrypoint = [config.Entrypoint];
  if (typeof config.Shell === 'string') config.Shell = [config.Shell];
  const hostConfig = (host ?? {}) as HostConfig & { CapAdd?: unknown; CapDrop?: unknown };
  if (typeof hostConfig.CapAdd === 'string') hostConfig.CapAdd = [hostConfig.CapAdd];
  if (typeof hostConfig.CapDrop === 'string') hostConfig.CapDrop = [hostConfig.CapDrop];
  // dockerd connects a new container to one network; more are `docker network connect`'s.
  const endpoints = Object.keys((networking as { EndpointsConfig?: object } | null | undefined)?.EndpointsConfig ?? {});
  if (endpoints.length > 1) throw new InvalidParameterError(`Container cannot be connected to network endpoints: ${endpoints.join(', ')}`);
  return { config, hostConfig, networkingConfig: networking ?? undefined };
}
