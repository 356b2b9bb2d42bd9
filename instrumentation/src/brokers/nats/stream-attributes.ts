import type { Attributes } from '@opentelemetry/api';

/*
 * The semantic conventions (v1.44.0) define nothing for NATS, so the
 * JetStream stream a message was consumed from has a custom attribute in the
 * `messaging.nats.*` namespace (the shape of the conventions' per-broker
 * attributes). It goes on spans and metrics of JetStream consumption, so a
 * backend can draw publisher → subject → stream → consumer. The consumer's
 * own name is the conventions' `messaging.destination.subscription.name`.
 */
export const ATTR_MESSAGING_NATS_STREAM_NAME = 'messaging.nats.stream.name';

const byStream = new Map<string, Attributes>();

/**
 * The route attributes for a stream: one frozen object per stream name, so
 * the route cache (which compares them) finds a consumer's route at once.
 * Streams are few (a server-side resource), so the map stays small.
 */
export function streamRouteAttributes(stream: string | undefined): Attributes | undefined {
  if (!stream) return undefined;
  let attributes = byStream.get(stream);
  if (attributes === undefined) {
    if (byStream.size >= 1024) byStream.clear();
    attributes = Object.freeze({ [ATTR_MESSAGING_NATS_STREAM_NAME]: stream });
    byStream.set(stream, attributes);
  }
  return attributes;
}
