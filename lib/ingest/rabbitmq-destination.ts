import { text } from '@/lib/model/attribute-readers';
import type { OperationType } from '@/lib/model/span';
import type { Attributes } from '@/lib/model/telemetry';

const ROUTING_KEY = 'messaging.rabbitmq.destination.routing_key';
// "<queue> process", "<queue> receive": how the Java agent names a delivery under its default conventions.
const QUEUE_IN_SPAN_NAME = /^(.+) (?:process|receive|deliver)$/;

/**
 * A RabbitMQ span's destination in the naming the flow graph routes by (rabbitmq.md,
 * semconv ≥ 1.27): a publish is `{exchange}:{routing key}`, a delivery
 * `{exchange}:{routing key}:{queue}`, the default exchange just the queue
 * (lib/analytics/topology/exchange-routes.ts). Older conventions, which the
 * OpenTelemetry Java agent (2.33.1) still sends by default, name only the exchange
 * (`<default>` for the default one) and carry the routing key in its own attribute,
 * the queue only in a delivery's span name; they are brought to the same naming so
 * their publishes and deliveries connect through the exchange. Names already in the
 * current form (with a `:`) are left as they are.
 */
export function rabbitmqDestination(
  named: string | null,
  attributes: Attributes,
  spanName: string,
  operation: OperationType | null,
): string | null {
  const routingKey = text(attributes, ROUTING_KEY);
  if (named === '<default>') return routingKey ?? named;
  if (named === null || named.includes(':') || !routingKey || routingKey === named) return named;
  if (operation === 'send' || operation === 'create') return `${named}:${routingKey}`;
  if (operation !== 'process' && operation !== 'receive') return named;
  const queue = QUEUE_IN_SPAN_NAME.exec(spanName)?.[1];
  if (!queue || queue === named) return named;
  return queue === routingKey ? `${named}:${queue}` : `${named}:${routingKey}:${queue}`;
}
