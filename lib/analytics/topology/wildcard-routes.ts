import { mqttTopicMatches, natsSubjectMatches } from '@signalbox/instrumentation/protocol';

/*
 * NATS subjects and MQTT topics are routed by wildcard: a message published to
 * `orders.eu` reaches every subscription whose filter matches it (`orders.*`,
 * `orders.>`). The consumer side names its destination after the filter (the
 * span's and the metrics' `messaging.destination.template`), the publisher
 * after the concrete subject, so the graph needs the route between them.
 */

type Matcher = (filter: string, name: string) => boolean;

// MQTT 5 shared subscriptions (`$share/<group>/<filter>`) route by their filter.
const SHARED = /^\$share\/[^/]+\/(.+)$/;
const mqttFilterMatches: Matcher = (filter, topic) =>
  mqttTopicMatches(SHARED.exec(filter)?.[1] ?? filter, topic);

const MATCHERS: Record<string, { isFilter: (name: string) => boolean; matches: Matcher }> = {
  nats: { isFilter: (s) => s.split('.').some((t) => t === '*' || t === '>'), matches: natsSubjectMatches },
  mqtt: {
    isFilter: (s) => SHARED.test(s) || s.split('/').some((l) => l === '+' || l === '#'),
    matches: mqttFilterMatches,
  },
};

/** A route from a concrete destination to a subscription filter that receives it. */
export interface WildcardRoute {
  system: string;
  from: string;
  to: string;
}

/**
 * Pure: for each system that routes by wildcard, which published destinations
 * each consumer-side filter receives. A filter with no matching publisher in
 * the window gets no route (nothing was published to it).
 */
export function wildcardRoutes(
  published: readonly { system: string; destination: string }[],
  consumed: readonly { system: string; destination: string }[],
): WildcardRoute[] {
  const routes: WildcardRoute[] = [];
  const seen = new Set<string>();
  // Only filters are matched, each against its own system's published names.
  const bySystem = new Map<string, { system: string; destination: string }[]>();
  for (const p of published) {
    if (!MATCHERS[p.system]) continue;
    const list = bySystem.get(p.system);
    if (list) list.push(p);
    else bySystem.set(p.system, [p]);
  }
  for (const filter of consumed) {
    const rules = MATCHERS[filter.system];
    if (!rules?.isFilter(filter.destination)) continue;
    for (const p of bySystem.get(filter.system) ?? []) {
      if (p.destination === filter.destination) continue;
      if (!rules.matches(filter.destination, p.destination)) continue;
      const key = JSON.stringify([p.system, p.destination, filter.destination]);
      if (seen.has(key)) continue;
      seen.add(key);
      routes.push({ system: p.system, from: p.destination, to: filter.destination });
    }
  }
  return routes;
}
