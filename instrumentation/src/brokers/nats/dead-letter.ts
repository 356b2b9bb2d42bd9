import type { JetStreamClient, JsMsg, PubAck } from '@nats-io/jetstream';
import { isDeadLetterHeader } from '../../dlq/headers.js';
import { prepareDeadLetter, type DeadLetterOptions, type DeadLetterResult } from '../../dlq/prepare.js';
import { SYSTEM_NATS } from '../../dlq/system.js';
import { withDeadLetterTelemetry } from '../../dlq/telemetry.js';

/** Options of {@link deadLetterJetStream}. */
export interface JetStreamDeadLetterOptions extends DeadLetterOptions {
  /**
   * Subject to publish the copy to. Defaults to `dlq.<original subject>`; a
   * stream must capture it (e.g. subjects `dlq.>`), with Limits retention so
   * it can be browsed (a WorkQueue stream rejects a second consumer), and it
   * must NOT be captured by the original stream, or the copy is redelivered.
   */
  subject?: string;
}

export interface JetStreamDeadLetterResult extends DeadLetterResult {
  /** JetStream's acknowledgement: the stream and sequence of the copy. */
  ack: PubAck;
}

/** Default dead-letter subject for `subject`. */
export const jetStreamDeadLetterSubject = (subject: string) => `dlq.${subject}`;

// Server-interpreted headers must not be copied: `Nats-Msg-Id` would make the
// DLQ stream drop a second dead-lettering as a duplicate, `Nats-Expected-*`
// would fail the publish, `Nats-Rollup` would purge the dead-letter stream,
// `Nats-TTL` would expire the copy. The original's subject, stream sequence
// and consumer are recorded in our headers instead.
const isServerHeader = (name: string) => name.toLowerCase().startsWith('nats-');

/**
 * Publishes a failed JetStream message to a dead-letter subject: same data,
 * its headers (except server-interpreted `Nats-*` ones) plus the Signalbox
 * `signalbox-dlq-*` set, which records the original subject, stream
 * sequence and consumer. JetStream has no dead-letter queue of its own; its
 * max-deliveries and terminated advisories are read by `parseDeadLetter` too.
 *
 * `ack()` or `term()` the original only after this resolves: it rejects with
 * the JetStream error (for example "no responders" when no stream captures
 * the subject) when the copy was not stored.
 */
export async function deadLetterJetStream(
  js: JetStreamClient,
  msg: JsMsg,
  options: JetStreamDeadLetterOptions,
): Promise<JetStreamDeadLetterResult> {
  const info = msg.info;
  const prepared = prepareDeadLetter(
    {
      system: SYSTEM_NATS,
      destination: msg.subject,
      offset: String(info.streamSequence),
      consumerGroup: info.consumer,
      headers: msg.headers,
      deliveryCount: info.deliveryCount,
    },
    options,
  );
  const subject = options.subject ?? jetStreamDeadLetterSubject(msg.subject);

  const ack = await withDeadLetterTelemetry(options, prepared.record, subject, async () => {
    // A value import would make the NATS client a hard dependency of the whole package.
    const { headers: createHeaders } = await import('@nats-io/nats-core');
    const headers = createHeaders();
    for (const name of msg.headers?.keys() ?? []) {
      if (isServerHeader(name) || isDeadLetterHeader(name)) continue;
      for (const value of msg.headers?.values(name) ?? []) headers.append(name, value);
    }
    for (const [name, value] of Object.entries(prepared.headers)) headers.set(name, value);
    return js.publish(subject, msg.data, { headers });
  });
  return { id: prepared.record.id, deadLetterDestination: subject, headers: prepared.headers, ack };
}
