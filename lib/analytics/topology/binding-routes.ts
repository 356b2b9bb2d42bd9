import { type VhostIndex, indexTopology, walkExchange } from './exchange-walk';
import type { RabbitTopology } from '@/lib/model/rabbitmq-topology';
import { deliveryName, parsePublishName, publishName } from './rabbitmq-names';
import type { BrokerRoute } from './routes';

/*
 * RabbitMQ routes from the management API's bindings rather than from what
 * telemetry happened to see: a publish reaches every queue a binding matches
 * even when nobody consumes it (or the consumer is not instrumented); a queue
 * with a dead-letter exchange routes its dead letters there; an exchange
 * without a matching binding sends to its alternate exchange, or drops the
 * message (unroutable). Node names follow rabbitmq-names.ts, so these routes
 * land on the nodes telemetry draws.
 */

/** What the bindings say about an exchange-side node (a publish destination, an alternate or dead-letter exchange). */
export interface ExchangeFacts {
  exchangeType: string;
  /** Why no queue receives what arrives here; null when some queue does (or may). */
  unroutable: string | null;
}

export interface BindingRouting {
  routes: BrokerRoute[];
  /** By destination name. */
  exchanges: Map<string, ExchangeFacts>;
}

/** A queue node to route dead letters from: its name on the graph, the queue, the key messages arrive with. */
interface QueueNode {
  name: string;
  queue: string;
  routingKey: string;
}

/**
 * Pure: the routes the bindings give the published destinations, and then
 * every queue node's dead-letter routes. `inferred` are the routes telemetry
 * already shows (exchange-routes.ts): their queues get dead-letter routes too,
 * and a destination they route from is never called unroutable (messages
 * were routed in the window, whatever the bindings say now).
 */
export function bindingRouting(
  published: readonly string[],
  consumed: readonly string[],
  inferred: readonly BrokerRoute[],
  topology: RabbitTopology,
): BindingRouting {
  const vhosts = [...indexTopology(topology).values()];
  const exchangeNames = new Set(vhosts.flatMap((ix) => [...ix.exchanges.keys()].filter(Boolean)));
  const routedFrom = new Set(inferred.map((r) => r.from));
  const routes: BrokerRoute[] = [];
  const drawn = new Set<string>();
  const exchanges = new Map<string, ExchangeFacts>();
  const queueNodes: QueueNode[] = [];

  const addRoute = (route: Omit<BrokerRoute, 'system'>) => {
    const key = `${route.from}\u0000${route.to}`;
    if (route.from === route.to || drawn.has(key)) return;
    drawn.add(key);
    routes.push({ system: 'rabbitmq', ...route });
  };

  /** Routes what arrives at `exchange` with `routingKey`; `carries`: the publish whose messages these are. */
  const routeThrough = (exchange: string, routingKey: string, carries: string | null) => {
    const at = publishName(exchange, routingKey);
    let unroutable: string | null = null;
    let known = false;
    for (const ix of vhosts) {
      const walk = walkExchange(ix, exchange, routingKey);
      if (!walk) continue;
      // Routed in some vhost: routable. Dropped in every vhost that has the exchange: unroutable.
      unroutable = known ? walk.unroutable && unroutable : walk.unroutable;
      known = true;
      describe(ix, exchange, at);
      for (const hop of walk.hops) {
        const from = publishName(hop.from, routingKey);
        const extra = { via: hop.via, carries, ...(hop.uncertain ? { uncertain: hop.uncertain } : {}) };
        if (hop.toType === 'queue') {
          // Delivered with the exchange published to, whichever exchanges it went through.
          const to = deliveryName(exchange, routingKey, hop.to);
          addRoute({ from, to, queue: hop.to, ...extra });
          queueNodes.push({ name: to, queue: hop.to, routingKey });
        } else {
          addRoute({ from, to: publishName(hop.to, routingKey), ...extra });
          describe(ix, hop.to, publishName(hop.to, routingKey));
        }
      }
    }
    const facts = exchanges.get(at);
    if (facts && unroutable && !routedFrom.has(at)) facts.unroutable = unroutable;
  };
  const describe = (ix: VhostIndex, exchange: string, name: string) => {
    const x = ix.exchanges.get(exchange);
    if (x && !exchanges.has(name)) exchanges.set(name, { exchangeType: x.type, unroutable: null });
  };

  for (const name of new Set(published)) {
    const { exchange, routingKey } = parsePublishName(name, exchangeNames);
    if (exchange !== '') routeThrough(exchange, routingKey, name);
  }

  // Queues seen in telemetry: delivered through an exchange, or straight from the default exchange.
  for (const r of inferred) {
    if (r.queue === undefined) continue;
    const { routingKey } = parsePublishName(r.from, exchangeNames);
    queueNodes.push({ name: r.to, queue: r.queue, routingKey });
  }
  for (const name of consumed) queueNodes.push({ name, queue: name, routingKey: name });

  const seen = new Set<string>();
  // A worklist (for…of visits what is pushed during it): dead letters reach queues that may dead-letter again.
  for (const node of queueNodes) {
    if (seen.has(node.name)) continue;
    seen.add(node.name);
    for (const ix of vhosts) {
      const queue = ix.queues.get(node.queue);
      if (!queue || queue.deadLetterExchange === null) continue;
      const routingKey = queue.deadLetterRoutingKey ?? node.routingKey;
      const exchange = queue.deadLetterExchange;
      if (exchange === '') {
        // The default exchange delivers to the queue the key names.
        addRoute({ from: node.name, to: routingKey, queue: routingKey, via: 'dead-letter', carries: null });
        if (ix.queues.has(routingKey)) queueNodes.push({ name: routingKey, queue: routingKey, routingKey });
        continue;
      }
      addRoute({ from: node.name, to: publishName(exchange, routingKey), via: 'dead-letter', carries: null });
      routeThrough(exchange, routingKey, null);
    }
  }
  return { routes, exchanges };
}
