import { natsSubjectMatches } from '@signalbox/instrumentation/protocol';
import { parseStreamQualified } from '@/lib/model/jetstream-destination';

/*
 * A JetStream stream captures the subjects published to it and its consumers
 * read the stream. Deliveries from a stream are named `{subject} (stream
 * {stream})` (lib/model/jetstream-destination.ts): the graph draws them from
 * one node per stream, fed by a route from each published subject the stream
 * was seen delivering. Core NATS deliveries name a bare subject and keep the
 * subject → consumer graph (and wildcard routes, wildcard-routes.ts).
 */

type Named = { system: string; destination: string };

/** The stream a NATS delivery destination was consumed from, or null (core NATS, other systems). */
export function jetstreamStream(system: string, destination: string): string | null {
  return system === 'nats' ? (parseStreamQualified(destination)?.stream ?? null) : null;
}

/** The node a delivery comes from: its stream for JetStream, else its destination. */
export const deliverySource = (system: string, destination: string) =>
  jetstreamStream(system, destination) ?? destination;

const hasWildcard = (subject: string) => subject.split('.').some((t) => t === '*' || t === '>');

/**
 * Pure: a route from each published NATS subject into each stream seen
 * delivering it, by name or by the consumer's wildcard filter (`orders.*`
 * receives `orders.eu`). A stream named like its only subject is one node
 * (no route to itself).
 */
export function jetstreamRoutes(
  published: readonly Named[],
  consumed: readonly Named[],
): { system: string; from: string; to: string }[] {
  const routes: { system: string; from: string; to: string }[] = [];
  const seen = new Set<string>();
  const subjects = published.filter(
    (p) => p.system === 'nats' && jetstreamStream('nats', p.destination) === null,
  );
  for (const c of consumed) {
    const parsed = c.system === 'nats' ? parseStreamQualified(c.destination) : null;
    if (!parsed) continue;
    const wildcard = hasWildcard(parsed.subject);
    for (const p of subjects) {
      const captured =
        p.destination === parsed.subject || (wildcard && natsSubjectMatches(parsed.subject, p.destination));
      if (!captured || p.destination === parsed.stream) continue;
      const key = `${p.destination}\u0000${parsed.stream}`;
      if (seen.has(key)) continue;
      seen.add(key);
      routes.push({ system: 'nats', from: p.destination, to: parsed.stream });
    }
  }
  return routes;
}
