import type { TlsSettings } from '@/lib/config';
import { type ManagementQueue, fetchExchangeBindings } from './management-api';

/**
 * Queues that receive another queue's dead letters, read from the queues' `x-dead-letter-exchange`
 * and `x-dead-letter-routing-key` arguments and the exchange's bindings (management API). Policies
 * (`dead-letter-exchange` set by `rabbitmqctl set_policy`) are not read. Which bound queues a dead
 * letter reaches depends on the exchange type and, without a dead-letter routing key, on each
 * message's own routing key; every queue that can receive one is listed:
 * - the default exchange (''): the queue named by the dead-letter routing key;
 * - any other exchange: its queues bound with the dead-letter routing key (or `#`), else, when none
 *   is (a fanout or topic binding) or no routing key is set, every queue bound to it.
 * Returns queue names by vhost-qualified key `vhost\u0000name`.
 */
export async function deadLetterTargets(
  queues: readonly ManagementQueue[],
  managementUrl: string,
  tls: TlsSettings | null,
  signal: AbortSignal,
): Promise<Set<string>> {
  const targets = new Set<string>();
  const bindings = new Map<string, Promise<{ destination: string; routingKey: string }[]>>();
  for (const queue of queues) {
    const exchange = queue.arguments?.['x-dead-letter-exchange'];
    if (typeof exchange !== 'string') continue;
    const rawKey = queue.arguments?.['x-dead-letter-routing-key'];
    const routingKey = typeof rawKey === 'string' ? rawKey : null;
    if (exchange === '') {
      if (routingKey) targets.add(targetKey(queue.vhost, routingKey));
      continue;
    }
    const cacheKey = targetKey(queue.vhost, exchange);
    if (!bindings.has(cacheKey)) {
      bindings.set(
        cacheKey,
        fetchExchangeBindings(managementUrl, queue.vhost, exchange, tls, signal).then(
          (list) =>
            list
              .filter((b) => b.destination_type === 'queue')
              .map((b) => ({ destination: b.destination, routingKey: b.routing_key })),
          // A dead-letter exchange that does not exist (yet) routes nowhere.
          (error: unknown) => {
            if (/HTTP 404/.test(String(error))) return [];
            throw error;
          },
        ),
      );
    }
    const bound = await bindings.get(cacheKey)!;
    const exact =
      routingKey === null ? [] : bound.filter((b) => b.routingKey === routingKey || b.routingKey === '#');
    for (const b of exact.length > 0 ? exact : bound) targets.add(targetKey(queue.vhost, b.destination));
  }
  return targets;
}

export const targetKey = (vhost: string, name: string) => `${vhost}\u0000${name}`;
