/** System routes of the Engine API (swagger tag "System"). */
import type { StreamResponse } from './transport.ts';
import type { ApiClient } from './api-client.ts';

export function systemVersion(api: ApiClient): Promise<Record<string, unknown>> {
  return api.json({ method: 'GET', path: '/version' });
}

export function systemInfo(api: ApiClient): Promise<Record<string, unknown>> {
  return api.json({ method: 'GET', path: '/info' });
}

export function systemDataUsage(api: ApiClient): Promise<Record<string, unknown>> {
  return api.json({ method: 'GET', path: '/system/df' });
}

export function systemEvents(api: ApiClient, q: { since?: string; until?: string; filters?: string }): Promise<StreamResponse> {
  return api.stream({ method: 'GET', path: '/events', query: q });
}
