/*
 * Destination names of RabbitMQ nodes, built the way our instrumentation names
 * spans (instrumentation/src/brokers/rabbitmq/names.ts, after rabbitmq.md), so
 * nodes derived from the management API's bindings get the ids telemetry
 * gives the same exchange or queue and the two merge into one node.
 */

/** A publish to `exchange` with `routingKey`: `{exchange}:{key}`, or the non-empty one. */
export function publishName(exchange: string, routingKey: string): string {
  if (exchange && routingKey) return `${exchange}:${routingKey}`;
  return exchange || routingKey || 'amq.default';
}

/**
 * A delivery from `queue` of a message published to `exchange` with
 * `routingKey`. The exchange is the one published to, also when the message
 * reached the queue through an alternate exchange or an exchange-to-exchange
 * binding (RabbitMQ delivers it with the original exchange).
 */
export function deliveryName(exchange: string, routingKey: string, queue: string): string {
  const parts = [exchange, routingKey, routingKey === queue ? '' : queue].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(':') : 'amq.default';
}

/**
 * Splits a publish destination into exchange and routing key, knowing which
 * exchanges exist (exchange and key names may both contain ':'): the longest
 * known exchange the name starts with. A name that starts with none is a
 * publish to the default exchange, whose key is the queue's name.
 */
export function parsePublishName(
  name: string,
  exchanges: ReadonlySet<string>,
): { exchange: string; routingKey: string } {
  if (exchanges.has(name)) return { exchange: name, routingKey: '' };
  for (let cut = name.lastIndexOf(':'); cut > 0; cut = name.lastIndexOf(':', cut - 1)) {
    const exchange = name.slice(0, cut);
    if (exchanges.has(exchange)) return { exchange, routingKey: name.slice(cut + 1) };
  }
  return { exchange: '', routingKey: name };
}
