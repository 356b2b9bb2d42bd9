import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY,
  RABBITMQ_DEFAULT_EXCHANGE,
} from '../../semconv.js';

/*
 * How amqplib operations are named, shared by the publish and the consume side.
 * Destination names follow rabbitmq.md (semconv v1.44): a send is
 * `{exchange}:{routing key}`, or whichever one is non-empty, else `amq.default`;
 * a delivery is `{exchange}:{routing key}:{queue}` without the empty parts, and
 * with only one of routing key and queue when they are equal.
 */

/** `messaging.destination.name` of a publish. */
export function publishDestination(exchange: string, routingKey: string): string {
  if (exchange && routingKey) return `${exchange}:${routingKey}`;
  return exchange || routingKey || RABBITMQ_DEFAULT_EXCHANGE;
}

/** `messaging.destination.name` of a delivery from `queue`. */
export function consumeDestination(exchange: string, routingKey: string, queue: string): string {
  const parts = [exchange, routingKey, routingKey === queue ? '' : queue].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(':') : RABBITMQ_DEFAULT_EXCHANGE;
}

// Server-named queues (`assertQueue('')`, RPC reply queues) are created per
// connection; RabbitMQ gives them this prefix. They mark the destination
// anonymous so span names and metrics stay low-cardinality.
export const isGeneratedName = (name: string) => name.startsWith('amq.gen-');

export function messageAttributes(
  messageId: unknown,
  correlationId: unknown,
  routingKey: string,
): Attributes {
  const attributes: Attributes = {};
  if (typeof messageId === 'string' && messageId !== '') attributes[ATTR_MESSAGING_MESSAGE_ID] = messageId;
  if (typeof correlationId === 'string' && correlationId !== '') {
    attributes[ATTR_MESSAGING_MESSAGE_CONVERSATION_ID] = correlationId;
  }
  if (routingKey) attributes[ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY] = routingKey;
  return attributes;
}
