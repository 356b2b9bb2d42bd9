import { PARSE_LIMITS } from '../model.js';
import { SYSTEM_NATS } from '../system.js';
import { count, int64, prop, text, time } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * JetStream has no dead-letter queue; it publishes advisories instead
 * (https://docs.nats.io/running-a-nats-service/nats_admin/monitoring/monitoring_jetstream):
 * `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>` with type
 * `io.nats.jetstream.advisory.v1.max_deliver`, and `...MSG_TERMINATED...`
 * with type `io.nats.jetstream.advisory.v1.terminated` after an AckTerm
 * (servers ≥ 2.11 add the consumer's `reason`). Both carry stream, consumer,
 * stream_seq and deliveries. The original message is fetched by stream_seq;
 * when its headers are passed too, `Nats-Subject` names the subject. Seen
 * on nats-server 2.9 (nats.int.test.ts): a pull consumer's max_deliver
 * advisory is sent only when the server would deliver the message once more,
 * i.e. on the next pull after the last failed delivery.
 */

const REASONS: Record<string, string> = {
  'io.nats.jetstream.advisory.v1.max_deliver': 'delivery_limit',
  'io.nats.jetstream.advisory.v1.terminated': 'terminated',
};

export const natsDialect: DialectReader = {
  dialect: 'nats',
  read({ advisory, headers }) {
    if (!advisory) return null;
    const type = text(prop(advisory, 'type'), 128);
    const reason = type === null ? undefined : REASONS[type];
    if (reason === undefined) return null;
    return {
      reason,
      errorMessage: text(prop(advisory, 'reason'), PARSE_LIMITS.errorMessage),
      source: {
        system: SYSTEM_NATS,
        destination: text(headers.get('Nats-Subject')),
        offset: int64(prop(advisory, 'stream_seq')),
        consumerGroup: text(prop(advisory, 'consumer')),
      },
      attempts: count(prop(advisory, 'deliveries')),
      lastFailedAt: time(prop(advisory, 'timestamp')),
      details: {
        'nats.stream': text(prop(advisory, 'stream')),
        'nats.consumer_seq': int64(prop(advisory, 'consumer_seq')),
        'nats.advisory_id': text(prop(advisory, 'id'), 128),
        'nats.domain': text(prop(advisory, 'domain'), 128),
      },
    };
  },
};
