import type { Resource } from '@/lib/model/access';
import type { Journey } from './journey-model';

/**
 * A journey for someone who may not read every hop's payloads: the shape,
 * timings and outcomes stay; span attributes and status messages (what the
 * application put there: ids, error texts quoting data) go wherever `canRead`
 * says no. A viewer gets none of them; a reader limited to `payments.*`
 * keeps those of the payments hops.
 */
export function redactJourney(journey: Journey, canRead: (resource: Resource) => boolean): Journey {
  const readable = (system: string, destination: string | null) =>
    canRead({ system, destination: destination ?? '' });
  return {
    ...journey,
    spans: journey.spans.map((span) =>
      readable(span.system, span.destination) ? span : { ...span, attributes: {}, statusMessage: null },
    ),
    hops: journey.hops.map((hop) =>
      readable(hop.system, hop.destination)
        ? hop
        : {
            ...hop,
            deliveries: hop.deliveries.map((d) => ({
              ...d,
              attempts: d.attempts.map((a) => ({ ...a, statusMessage: null })),
            })),
          },
    ),
  };
}
