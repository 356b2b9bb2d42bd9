import { text } from './attribute-readers';
import type { Attributes } from './telemetry';

/*
 * A JetStream consumer reads a stream, not a subject: the instrumentation
 * names the subject as `messaging.destination.name` (where the publisher sent
 * it) and the stream in `messaging.nats.stream.name`
 * (instrumentation/src/brokers/nats/stream-attributes.ts). Signalbox keeps
 * both in the delivery's destination, `{subject} (stream {stream})`, so the
 * flow graph can route the subject into the stream node and deliver from the
 * stream (lib/analytics/topology/jetstream-routes.ts), and spans and metrics
 * of one delivery land in one series. Neither part can hold whitespace (NATS
 * forbids it in subjects and stream names), so the name parses back
 * unambiguously. Core NATS deliveries carry no stream and keep the subject.
 */

export const NATS_STREAM_ATTRIBUTE = 'messaging.nats.stream.name';

const QUALIFIED = /^(\S+) \(stream (\S+)\)$/;

/** The destination of a delivery of `subject` (or its template) from JetStream stream `stream`. */
export const streamQualified = (subject: string, stream: string) => `${subject} (stream ${stream})`;

/** The subject and stream of a stream-qualified destination, or null for any other name. */
export function parseStreamQualified(name: string): { subject: string; stream: string } | null {
  const m = QUALIFIED.exec(name);
  return m ? { subject: m[1]!, stream: m[2]! } : null;
}

/** A NATS span's or metric's destination: the subject, qualified by its stream when consumed from one. */
export function natsDestination(named: string | null, attributes: Attributes): string | null {
  const stream = text(attributes, NATS_STREAM_ATTRIBUTE);
  if (named === null || stream === null || /\s/.test(stream) || /\s/.test(named)) return named;
  return streamQualified(named, stream);
}
