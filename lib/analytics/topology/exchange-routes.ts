/*
 * RabbitMQ routes through exchanges. Following the messaging conventions
 * (rabbitmq.md), a publish names `{exchange}:{routing key}` (or the non-empty
 * one of the two; the default exchange is just the queue's name), and a
 * delivery names `{exchange}:{routing key}:{queue}` with empty parts dropped
 * and routing key and queue collapsed when equal. So a publish to the topic
 * exchange `orders-x` with key `order.created` is `orders-x:order.created`, and
 * its delivery from the queue `billing-q` bound with `order.*` is
 * `orders-x:order.created:billing-q`: the delivery's name extends the
 * publish's by the queue. That is the route the exchange took; without it the
 * graph would show a publisher nobody reads and a consumer fed by nobody.
 */

export interface ExchangeRoute {
  system: 'rabbitmq';
  /** The publish side: exchange and routing key. */
  from: string;
  /** The delivery side: the same, plus the queue. */
  to: string;
  queue: string;
}

/**
 * Pure: routes from each RabbitMQ publish destination to the deliveries whose
 * names extend it by one part (the queue). A delivery with the same name as a
 * publish (the default exchange, or a routing key equal to the queue) needs no
 * route: it is the same node.
 */
export function exchangeRoutes(
  published: readonly { system: string; destination: string }[],
  consumed: readonly { system: string; destination: string }[],
): ExchangeRoute[] {
  const sends = new Set(published.filter((p) => p.system === 'rabbitmq').map((p) => p.destination));
  const routes: ExchangeRoute[] = [];
  const seen = new Set<string>();
  for (const c of consumed) {
    if (c.system !== 'rabbitmq' || sends.has(c.destination)) continue;
    const cut = c.destination.lastIndexOf(':');
    if (cut <= 0) continue;
    const from = c.destination.slice(0, cut);
    const queue = c.destination.slice(cut + 1);
    if (!sends.has(from) || queue === '' || seen.has(c.destination)) continue;
    seen.add(c.destination);
    routes.push({ system: 'rabbitmq', from, to: c.destination, queue });
  }
  return routes;
}
