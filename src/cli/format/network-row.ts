/** `network ls` rows as docker's networkContext presents them to templates. */
import type { NetworkSummary } from '../../client/networks.ts';
import { formatGoTimeText } from './go-time.ts';
import { truncateId } from './reference.ts';

export const NETWORKS_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
/** The `raw` format docker keeps for networks (and its quiet form). */
export const NETWORKS_RAW = 'network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n';
export const NETWORKS_RAW_QUIET = 'network_id: {{.ID}}';
export const NETWORKS_HEADER: Record<string, string> = {
  ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv4: 'IPV4', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED AT',
};

export function networkRow(nw: NetworkSummary, trunc: boolean): object {
  const labels = nw.Labels ?? {};
  const row: Record<string, string> = {
    CreatedAt: formatGoTimeText(nw.Created),
    Driver: nw.Driver,
    ID: trunc ? truncateId(nw.Id) : nw.Id,
    IPv4: String(nw.EnableIPv4 ?? false),
    IPv6: String(nw.EnableIPv6 ?? false),
    Internal: String(nw.Internal ?? false),
    // docker walks a Go map here (random order); sorted keys print the same set steadily.
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
    Name: nw.Name,
    Scope: nw.Scope,
  };
  Object.defineProperty(row, 'Label', { enumerable: false, value: (k: string) => labels[k] ?? '' });
  return row;
}
