import { PARSE_LIMITS } from '../model.js';
import { SYSTEM_RABBITMQ } from '../system.js';
import { count, object, prop, text, time } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * RabbitMQ dead-lettering (https://www.rabbitmq.com/docs/dlx): the broker
 * keeps an `x-death` array, newest first, with one table per (queue, reason):
 * { queue, reason, count, time, exchange, routing-keys, original-expiration },
 * plus `x-first-death-{queue,exchange,reason}` and, since 3.13,
 * `x-last-death-*`. Quorum queues also count returned deliveries in
 * `x-delivery-count`. amqplib hands `time` over as `{ '!': 'timestamp', value:
 * <seconds> }`, other clients as Date or number; values.ts reads all of them.
 */

interface Death {
  queue: string | null;
  reason: string | null;
  count: number | null;
  time: string | null;
  exchange: string | null;
  routingKeys: string | null;
  originalExpiration: string | null;
}

function routingKeys(raw: unknown): string | null {
  if (!Array.isArray(raw)) return text(raw);
  const keys = raw
    .slice(0, 16)
    .map((key) => text(key, 256))
    .filter((key): key is string => key !== null);
  return keys.length > 0 ? text(keys.join(', ')) : null;
}

function readDeaths(raw: unknown): Death[] {
  if (!Array.isArray(raw)) return [];
  const deaths: Death[] = [];
  for (const item of raw.slice(0, PARSE_LIMITS.deathEntries)) {
    const entry = object(item);
    if (!entry) continue;
    deaths.push({
      queue: text(prop(entry, 'queue')),
      reason: text(prop(entry, 'reason'), 64),
      count: count(prop(entry, 'count')),
      time: time(prop(entry, 'time')),
      exchange: text(prop(entry, 'exchange')),
      routingKeys: routingKeys(prop(entry, 'routing-keys')),
      originalExpiration: text(prop(entry, 'original-expiration'), 64),
    });
  }
  return deaths;
}

export const rabbitmqDialect: DialectReader = {
  dialect: 'rabbitmq',
  read({ headers }) {
    const deaths = readDeaths(headers.get('x-death'));
    const first = (field: string) => text(headers.get(`x-first-death-${field}`));
    const last = (field: string) => text(headers.get(`x-last-death-${field}`));
    const hasHeaders = first('queue') !== null || last('queue') !== null || first('reason') !== null;
    if (deaths.length === 0 && !hasHeaders) return null;

    const newest = deaths[0];
    const queue = newest?.queue ?? last('queue') ?? first('queue');
    // Every time the message died from the queue it was consumed from counts
    // as a failed attempt, whatever the reason was each time.
    const fromQueue = deaths.filter((death) => death.queue === queue && death.count !== null);
    const deathCount = fromQueue.length > 0 ? fromQueue.reduce((sum, d) => sum + (d.count ?? 0), 0) : null;
    const deliveryCount = count(headers.get('x-delivery-count'));
    const attempts =
      deathCount === null && deliveryCount === null ? null : Math.max(deathCount ?? 0, deliveryCount ?? 0);
    const times = deaths
      .map((death) => death.time)
      .filter((t): t is string => t !== null)
      .sort();

    return {
      reason: newest?.reason ?? last('reason') ?? first('reason'),
      source: { system: SYSTEM_RABBITMQ, destination: queue },
      attempts,
      firstFailedAt: times[0] ?? null,
      lastFailedAt: times[times.length - 1] ?? null,
      details: {
        'rabbitmq.exchange': newest?.exchange ?? last('exchange') ?? first('exchange'),
        'rabbitmq.routing_keys': newest?.routingKeys ?? null,
        'rabbitmq.first_death_queue': first('queue'),
        'rabbitmq.first_death_reason': first('reason'),
        'rabbitmq.deaths': deaths.length > 0 ? String(deaths.length) : null,
        'rabbitmq.original_expiration': newest?.originalExpiration ?? null,
        'rabbitmq.delivery_count': deliveryCount === null ? null : String(deliveryCount),
      },
    };
  },
};
