/**
 * Events: every state change of an object is published here; subscribers
 * (GET /events) get the recent past (a bounded in-memory ring, as dockerd
 * keeps) and then the live stream.
 */
export interface EngineEvent {
  Type: 'container' | 'image' | 'volume' | 'network' | 'daemon' | 'plugin' | 'node' | 'service' | 'secret' | 'config';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
  /** Deprecated fields that dockerd still sends for containers and images. */
  status?: string;
  id?: string;
  from?: string;
}

const RING = 1024;

function sortedKeys(attributes: Record<string, string>): Record<string, string> {
  const keys = Object.keys(attributes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, attributes[k]!]));
}

export class EventsService {
  private readonly recent: EngineEvent[] = [];
  private readonly listeners = new Set<(e: EngineEvent) => void>();

  publish(type: EngineEvent['Type'], action: string, id: string, attributes: Record<string, string> = {}): void {
    const nowNs = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    const event: EngineEvent = {
      Type: type,
      Action: action,
      // Go encodes the attributes map with its keys sorted (docker-compose's `events --json` passes that order on).
      Actor: { ID: id, Attributes: sortedKeys(attributes) },
      scope: 'local',
      time: Number(nowNs / 1_000_000_000n),
      timeNano: Number(nowNs),
    };
    if (type === 'container' || type === 'image') {
      event.status = action;
      event.id = id;
      if (attributes.image && type === 'container') event.from = attributes.image;
    }
    this.recent.push(event);
    if (this.recent.length > RING) this.recent.shift();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A subscriber's failure (a client gone mid-write) must never fail the operation that published.
      }
    }
  }

  /** Past events (oldest first) and a live subscription; call the returned function to stop. */
  subscribe(listener: (e: EngineEvent) => void): { past: EngineEvent[]; unsubscribe: () => void } {
    this.listeners.add(listener);
    return { past: [...this.recent], unsubscribe: () => this.listeners.delete(listener) };
  }
}
