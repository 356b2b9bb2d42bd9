import { z } from 'zod';
import type { RabbitTopology } from '@/lib/model/rabbitmq-topology';
import type { TlsSettings } from '@/lib/config';
import { getJson, parseAnswer } from './management-api';

/*
 * Reads RabbitMQ's routing configuration from the management API: exchanges
 * (type, `alternate-exchange`), bindings (queue and exchange-to-exchange, with
 * their keys) and queues (`x-dead-letter-exchange`, `x-dead-letter-routing-key`).
 * Arguments only: the same settings made by policy are not read.
 */

const args = z.record(z.string(), z.unknown()).nullable().optional();
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const exchangeSchema = z.object({ name: z.string(), vhost: z.string(), type: z.string(), arguments: args });
const bindingSchema = z.object({
  source: z.string(),
  vhost: z.string(),
  destination: z.string(),
  destination_type: z.enum(['queue', 'exchange']),
  routing_key: z.string().default(''),
});
const queueSchema = z.object({ name: z.string(), vhost: z.string(), arguments: args });

/** Pure: the three answers as the graph's model; throws naming the first field that is not as expected. */
export function parseTopology(answers: {
  exchanges: unknown;
  bindings: unknown;
  queues: unknown;
}): RabbitTopology {
  return {
    exchanges: parseAnswer(z.array(exchangeSchema), answers.exchanges).map((x) => ({
      vhost: x.vhost,
      name: x.name,
      type: x.type,
      alternateExchange: text(x.arguments?.['alternate-exchange']),
    })),
    bindings: parseAnswer(z.array(bindingSchema), answers.bindings).map((b) => ({
      vhost: b.vhost,
      source: b.source,
      destination: b.destination,
      destinationType: b.destination_type,
      routingKey: b.routing_key,
    })),
    queues: parseAnswer(z.array(queueSchema), answers.queues).map((q) => ({
      vhost: q.vhost,
      name: q.name,
      deadLetterExchange: text(q.arguments?.['x-dead-letter-exchange']),
      deadLetterRoutingKey: text(q.arguments?.['x-dead-letter-routing-key']),
    })),
  };
}

/** GET /api/exchanges, /api/bindings and /api/queues (only the columns used), in parallel. */
export async function fetchTopology(
  managementUrl: string,
  tls: TlsSettings | null,
  signal: AbortSignal,
): Promise<RabbitTopology> {
  const get = (path: string) => getJson(managementUrl, path, tls, signal);
  const [exchanges, bindings, queues] = await Promise.all([
    get('/api/exchanges?columns=name,vhost,type,arguments'),
    get('/api/bindings?columns=source,vhost,destination,destination_type,routing_key'),
    get('/api/queues?columns=name,vhost,arguments'),
  ]);
  return parseTopology({ exchanges, bindings, queues });
}
