import { describe, expect, it } from 'vitest';
import { deliverySource } from '@/lib/analytics/topology/jetstream-routes';
import { natsDestination, parseStreamQualified, streamQualified } from './jetstream-destination';
import { classifyMetric } from './messaging-metric';

describe('JetStream delivery names', () => {
  it('qualify a NATS delivery by its stream and parse back', () => {
    const name = natsDestination('orders.created', { 'messaging.nats.stream.name': 'ORDERS' });
    expect(name).toBe('orders.created (stream ORDERS)');
    expect(parseStreamQualified(name!)).toEqual({ subject: 'orders.created', stream: 'ORDERS' });
    expect(streamQualified('orders.*', 'ORDERS')).toBe('orders.* (stream ORDERS)');
  });

  it('leave core NATS subjects and unparseable names alone', () => {
    expect(natsDestination('orders.created', {})).toBe('orders.created');
    expect(natsDestination(null, { 'messaging.nats.stream.name': 'ORDERS' })).toBeNull();
    expect(parseStreamQualified('orders.created')).toBeNull();
    expect(deliverySource('nats', 'orders.created')).toBe('orders.created');
    // Only NATS names are read this way.
    expect(deliverySource('mqtt', 'a (stream B)')).toBe('a (stream B)');
    expect(deliverySource('nats', 'orders.created (stream ORDERS)')).toBe('ORDERS');
  });
});

describe('JetStream metrics', () => {
  it('land in the same series as the spans: the stream-qualified subject', () => {
    const dims = classifyMetric({
      metric: 'messaging.client.consumed.messages',
      type: 'sum',
      unit: '{message}',
      timeUs: 0,
      value: 1,
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'orders.created',
        'messaging.nats.stream.name': 'ORDERS',
      },
      resource: { 'service.name': 'billing' },
    } as unknown as Parameters<typeof classifyMetric>[0]);
    expect(dims?.destination).toBe('orders.created (stream ORDERS)');
  });
});
