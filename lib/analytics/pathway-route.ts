import type { PathwayEdge } from '@/lib/model/series';

export interface RouteHop {
  /** The service that sent. */
  service: string;
  system: string;
  destination: string;
}

/**
 * Rebuilds a pathway's route (origin service → destination → … → this
 * destination) by following parent hashes through the segments learnt from
 * `signalbox.messaging.pathway.sent` points and send spans (PATHWAY.md).
 * `complete` is false when a segment is missing (e.g. an uninstrumented
 * producer upstream, or one whose metrics have not arrived yet).
 */
export function rebuildRoute(
  hash: string,
  segments: ReadonlyMap<string, PathwayEdge>,
): { route: RouteHop[]; complete: boolean } {
  const route: RouteHop[] = [];
  const seen = new Set<string>();
  let current: string | null = hash;
  while (current) {
    if (seen.has(current) || route.length >= 64) return { route, complete: false }; // a cycle cannot be a real route
    seen.add(current);
    const segment = segments.get(current);
    if (!segment) return { route, complete: false };
    route.unshift({
      service: segment.service || '(unknown)',
      system: segment.system,
      destination: segment.destination,
    });
    if (segment.service === '') return { route, complete: false };
    current = segment.parentHash;
  }
  return { route, complete: true };
}

/** A stable short id for a route seen in traces (no pathway hash): FNV-1a 32 as hex. */
export function routeId(route: readonly RouteHop[], consumer: string): string {
  let hash = 0x811c9dc5;
  const text = JSON.stringify([route, consumer]);
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `route-${(hash >>> 0).toString(16).padStart(8, '0')}`;
}
