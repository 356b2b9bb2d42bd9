import { bindingMatches } from './binding-match';
import type {
  RabbitBinding,
  RabbitExchange,
  RabbitQueue,
  RabbitTopology,
} from '@/lib/model/rabbitmq-topology';

/** One virtual host's exchanges, their outgoing bindings and its queues, by name. */
export interface VhostIndex {
  exchanges: Map<string, RabbitExchange>;
  bindingsFrom: Map<string, RabbitBinding[]>;
  queues: Map<string, RabbitQueue>;
}

/**
 * Indexes the topology per virtual host. Telemetry names no vhost, so the
 * graph routes a name through every vhost that has it; most brokers have one.
 */
export function indexTopology(topology: RabbitTopology): Map<string, VhostIndex> {
  const vhosts = new Map<string, VhostIndex>();
  const of = (vhost: string) => {
    let ix = vhosts.get(vhost);
    if (!ix) vhosts.set(vhost, (ix = { exchanges: new Map(), bindingsFrom: new Map(), queues: new Map() }));
    return ix;
  };
  for (const x of topology.exchanges) of(x.vhost).exchanges.set(x.name, x);
  for (const q of topology.queues) of(q.vhost).queues.set(q.name, q);
  for (const b of topology.bindings) {
    // The default exchange's implicit binding of every queue is the publish-to-queue case, no route.
    if (b.source === '') continue;
    const from = of(b.vhost).bindingsFrom;
    const list = from.get(b.source);
    if (list) list.push(b);
    else from.set(b.source, [b]);
  }
  return vhosts;
}

/** One step RabbitMQ takes routing a message: from an exchange to a queue or to another exchange. */
export interface Hop {
  from: string;
  to: string;
  toType: 'queue' | 'exchange';
  /** A binding (queue or exchange-to-exchange), or the exchange's alternate exchange. */
  via: 'binding' | 'alternate';
  /** Why the hop may not happen: set when headers or a plugin's rules decide, which the graph cannot see. */
  uncertain: string | null;
}

export interface ExchangeWalk {
  hops: Hop[];
  /** Why no queue receives the message, when the bindings say none can. */
  unroutable: string | null;
}

/**
 * Pure: every hop a message published to `exchange` with `routingKey` takes,
 * as RabbitMQ routes it: an exchange sends it along each matching binding, to
 * queues and to other exchanges (which route it with the same key), and, when
 * none of its bindings matches, to its alternate exchange. Null when the vhost
 * has no such exchange.
 */
export function walkExchange(ix: VhostIndex, exchange: string, routingKey: string): ExchangeWalk | null {
  const start = ix.exchanges.get(exchange);
  if (!start) return null;
  const hops: Hop[] = [];
  const visited = new Set<string>([exchange]);
  const visit = (x: RabbitExchange, inherited: string | null): boolean => {
    let reached = false;
    let matched = false;
    let unsure: string | null = null;
    for (const b of ix.bindingsFrom.get(x.name) ?? []) {
      const match = bindingMatches(x.type, b.routingKey, routingKey);
      if (match === false) continue;
      const uncertain =
        inherited ??
        (match === 'unknown'
          ? `${x.type} exchange ${x.name}: its bindings match on what the graph does not see (message headers or the plugin's rules)`
          : null);
      if (uncertain === null) matched = true;
      else unsure ??= uncertain;
      hops.push({ from: x.name, to: b.destination, toType: b.destinationType, via: 'binding', uncertain });
      if (b.destinationType === 'queue') reached = true;
      else reached = follow(b.destination, uncertain) || reached;
    }
    // RabbitMQ tries the alternate exchange when this exchange itself matched no binding.
    if (!matched && x.alternateExchange !== null) {
      hops.push({
        from: x.name,
        to: x.alternateExchange,
        toType: 'exchange',
        via: 'alternate',
        uncertain: unsure,
      });
      reached = follow(x.alternateExchange, unsure ?? inherited) || reached;
    }
    return reached;
  };
  // An exchange already on this walk is drawn into but not routed through twice (bindings may loop).
  const follow = (name: string, uncertain: string | null): boolean => {
    const next = ix.exchanges.get(name);
    if (!next || visited.has(name)) return false;
    visited.add(name);
    return visit(next, uncertain);
  };
  const reached = visit(start, null);
  return { hops, unroutable: reached ? null : unroutableReason(ix, start, routingKey) };
}

/** What the page says about a message no queue receives: which exchange dropped it, and why. */
function unroutableReason(ix: VhostIndex, x: RabbitExchange, routingKey: string): string {
  const bindings = ix.bindingsFrom.get(x.name) ?? [];
  const matching = bindings.some((b) => bindingMatches(x.type, b.routingKey, routingKey) !== false);
  const own =
    bindings.length === 0
      ? `nothing is bound to ${x.type} exchange ${x.name}`
      : matching
        ? `the exchanges ${x.type} exchange ${x.name} routes key "${routingKey}" to reach no queue`
        : `no binding of ${x.type} exchange ${x.name} matches key "${routingKey}"`;
  const ae = x.alternateExchange;
  if (ae === null || matching) return own;
  return ix.exchanges.has(ae)
    ? `${own}, and its alternate exchange ${ae} routes it to no queue`
    : `${own}, and its alternate exchange ${ae} does not exist`;
}
