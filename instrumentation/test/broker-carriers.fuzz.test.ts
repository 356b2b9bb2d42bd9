import { headers as natsHeaders } from '@nats-io/nats-core';
import type { MsgHdrs } from '@nats-io/nats-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bullmqMetadataCarrier,
  extractContext,
  injectContext,
  mqttUserPropertiesCarrier,
  natsHeadersCarrier,
  parseBullmqMetadata,
  prepareSqsAttributes,
  redisFieldsCarrier,
  sqsAttributesCarrier,
  type MessageCarrier,
  type SqsMessageAttributes,
} from '../src/index.js';
import {
  FUZZ_KEYS,
  hostileRecord,
  hostileValue,
  MAX_RETURNED_LENGTH,
  seededRandom,
} from './support/hostile-values.js';
import { setupTracing } from './support/tracing.js';

/*
 * Every carrier meets input it did not produce: other clients, other
 * languages, corrupted or malicious messages. Whatever arrives, a carrier
 * must never throw and never hand back more than a bounded string. A
 * seeded loop per carrier (failures name the seed and iteration).
 */

const tracing = setupTracing();
afterAll(() => tracing.shutdown());

const SEED = 0x5eed_b0b;
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 1500);

function exercise(carrier: MessageCarrier, random: () => number): void {
  for (const key of FUZZ_KEYS) {
    const value = carrier.get(key);
    if (value !== undefined) {
      expect(typeof value).toBe('string');
      expect(value.length).toBeLessThanOrEqual(MAX_RETURNED_LENGTH);
    }
  }
  const keys = carrier.keys();
  expect(Array.isArray(keys)).toBe(true);
  for (const key of keys) expect(typeof key).toBe('string');
  extractContext(carrier);
  if (random() < 0.3) injectContext(carrier);
}

// Test-side conversions of hostile values may throw themselves (a Proxy that
// throws on every trap); such an input simply cannot be built, so skip it.
function attempt<T>(build: () => T): T | undefined {
  try {
    return build();
  } catch {
    return undefined;
  }
}

function fuzz(name: string, build: (random: () => number) => MessageCarrier | undefined) {
  it(`${name}: never throws and returns bounded strings (seed ${SEED}, ${ITERATIONS} cases)`, () => {
    const random = seededRandom(SEED);
    for (let i = 0; i < ITERATIONS; i++) {
      const carrier = attempt(() => build(random));
      if (!carrier) continue;
      try {
        exercise(carrier, random);
      } catch (err) {
        throw new Error(`${name}: case ${i} (seed ${SEED}) failed: ${String(err)}`, { cause: err });
      }
    }
  }, 60_000);
}

// Huge values are kept just over the carriers' caps where the test itself
// would otherwise spend its time serializing megabytes.
const shrink = (value: unknown): unknown =>
  typeof value === 'string'
    ? value.slice(0, 20_000)
    : value instanceof Uint8Array
      ? value.subarray(0, 20_000)
      : Array.isArray(value)
        ? value.slice(0, 100)
        : value;

// Shapes an SQS attribute can take, from well-formed to nonsense.
function hostileSqsAttributes(random: () => number): unknown {
  if (random() < 0.1) return hostileValue(random);
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(hostileRecord(random))) {
    const roll = random();
    record[key] =
      roll < 0.5
        ? { DataType: random() < 0.8 ? 'String' : hostileValue(random), StringValue: value }
        : roll < 0.6
          ? { DataType: 'Binary', BinaryValue: value }
          : value;
  }
  if (random() < 0.3) {
    record['signalbox-context'] = { DataType: 'String', StringValue: hostileValue(random) };
  }
  return record;
}

// NATS headers as a client builds them (only values it accepts), or objects pretending to be MsgHdrs.
function hostileNatsHeaders(random: () => number): MsgHdrs | undefined {
  const roll = random();
  if (roll < 0.6) {
    const h = natsHeaders();
    for (const [key, value] of Object.entries(hostileRecord(random))) {
      try {
        h.append(key, String(shrink(value)));
      } catch {
        // NATS itself rejects this value: it can never arrive.
      }
    }
    return h;
  }
  if (roll < 0.8) {
    const fake = {
      values: () => hostileValue(random),
      keys: () => hostileValue(random),
      set: () => {
        throw new Error('hostile set');
      },
      get: () => hostileValue(random),
    };
    return fake as unknown as MsgHdrs;
  }
  return hostileValue(random) as MsgHdrs | undefined;
}

function hostileFlatFields(random: () => number): unknown {
  if (random() < 0.1) return hostileValue(random);
  const fields: unknown[] = [];
  for (const [key, value] of Object.entries(hostileRecord(random))) {
    fields.push(random() < 0.3 ? Buffer.from(key) : key, value);
  }
  if (random() < 0.2) fields.push(hostileValue(random));
  return fields;
}

describe('carrier fuzz', () => {
  fuzz('SQS read carrier', (random) =>
    sqsAttributesCarrier(hostileSqsAttributes(random), random() < 0.5 ? hostileRecord(random) : undefined),
  );

  it('SQS prepareSqsAttributes never throws on hostile attributes', () => {
    const random = seededRandom(SEED);
    for (let i = 0; i < ITERATIONS; i++) {
      const input = hostileSqsAttributes(random) as SqsMessageAttributes | undefined;
      const prepared = prepareSqsAttributes(input, (carrier) => exercise(carrier, random), 'a fuzz message');
      expect(['attributes', 'packed', 'dropped', 'none']).toContain(prepared.placement);
    }
  }, 60_000);

  fuzz('NATS headers', (random) => natsHeadersCarrier(hostileNatsHeaders(random)));
  fuzz('Redis stream fields', (random) => redisFieldsCarrier(hostileFlatFields(random)));
  fuzz('MQTT user properties', (random) =>
    mqttUserPropertiesCarrier(random() < 0.9 ? hostileRecord(random) : hostileValue(random)),
  );
  fuzz('BullMQ metadata', (random) => {
    const roll = random();
    const record = Object.fromEntries(Object.entries(hostileRecord(random)).map(([k, v]) => [k, shrink(v)]));
    const metadata =
      roll < 0.4
        ? JSON.stringify(Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v as string)])))
        : roll < 0.6
          ? JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? 0 : v))
          : hostileValue(random);
    return bullmqMetadataCarrier(parseBullmqMetadata(metadata));
  });
});
