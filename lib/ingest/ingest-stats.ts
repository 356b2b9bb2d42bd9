/**
 * Counters about ingest itself, exposed on /metrics. Process-wide (on
 * globalThis) because the Next routes and the :4318 listener are bundled
 * separately but must count together.
 */
export interface IngestStats {
  requests: Record<string, number>;
  spansReceived: number;
  spansStored: number;
  pointsReceived: number;
  pointsStored: number;
}

const holder = globalThis as typeof globalThis & { __signalboxIngestStats?: IngestStats };

export function ingestStats(): IngestStats {
  holder.__signalboxIngestStats ??= {
    requests: {},
    spansReceived: 0,
    spansStored: 0,
    pointsReceived: 0,
    pointsStored: 0,
  };
  return holder.__signalboxIngestStats;
}

export function countRequest(signal: string, status: number): void {
  const key = `${signal}:${status}`;
  const stats = ingestStats();
  stats.requests[key] = (stats.requests[key] ?? 0) + 1;
}
