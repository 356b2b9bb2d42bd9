import type { Channel, ConsumeMessage } from 'amqplib';
import type { Consumer, ConsumerRunConfig, EachMessagePayload, IHeaders } from 'kafkajs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { beginProcess } from '../src/messaging/consume.js';
import { beginSend } from '../src/messaging/produce.js';
import { resolveRuntime } from '../src/messaging/runtime.js';
import { formatPathway, parsePathway, PATHWAY_HEADER } from '../src/pathway/header.js';
import { amqpHeadersCarrier } from '../src/brokers/rabbitmq/headers.js';
import { MAX_HEADER_VALUE_LENGTH, type MessageCarrier } from '../src/propagation/carrier.js';
import { kafkaHeadersCarrier } from '../src/brokers/kafka/headers.js';
import { instrumentAmqpChannel, instrumentKafkaConsumer } from '../src/index.js';
import { setupMetrics } from './support/metrics.js';
import { setupTracing } from './support/tracing.js';

/*
 * Property test over every carrier this file's owner maintains (kafkajs
 * headers, AMQP tables) and the pathway header: for random hostile header
 * tables, nothing throws into the application, the handler runs exactly once,
 * decoded values stay within the size cap, and a traceparent already in the
 * message is never changed. Seeded: a failure names its seed and iteration.
 */

const SEED = 0x5eed_a11;
const ITERATIONS = 400;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const HUGE = 'x'.repeat(2 * 1024 * 1024);
const HUGE_BUFFER = Buffer.alloc(2 * 1024 * 1024, 0x30);
const KEYS = [
  'traceparent',
  'Traceparent',
  'TRACEPARENT',
  'tracestate',
  'baggage',
  PATHWAY_HEADER,
  'x-death',
  '__proto__',
  'constructor',
  'toString',
  '',
  'k\u0000ey',
];

function generator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const randomString = (max: number) =>
    Array.from({ length: Math.floor(random() * max) }, () =>
      String.fromCharCode(Math.floor(random() * 0xffff)),
    ).join('');
  const value = (depth = 0): unknown => {
    switch (Math.floor(random() * 14)) {
      case 0:
        return VALID;
      case 1:
        return Buffer.from(VALID);
      case 2:
        return `${VALID.slice(0, Math.floor(random() * 55))}${randomString(4)}`;
      case 3:
        return randomString(64);
      case 4:
        return HUGE;
      case 5:
        return HUGE_BUFFER;
      case 6:
        return Buffer.from(
          Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)),
        );
      case 7:
        return depth < 2 ? Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1)) : [];
      case 8:
        return pick([null, undefined, 0, -1, NaN, true, 1n]);
      case 9:
        return depth < 2 ? { nested: value(depth + 1) } : {};
      case 10:
        return `1:${randomString(16)}:${Math.floor(random() * 1e13)}:${Math.floor(random() * 1e13)}:${Math.floor(random() * 10)}`;
      case 11:
        return formatPathway({
          hash: '0123456789abcdef',
          originMs: Date.now() - 10,
          sendMs: Date.now(),
          hops: 1 + Math.floor(random() * 5),
        });
      case 12:
        return new Uint16Array([1, 2, 3]);
      default:
        return Symbol('odd');
    }
  };
  const table = (): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    const count = Math.floor(random() * 6);
    for (let i = 0; i < count; i++) {
      const key = random() < 0.8 ? pick(KEYS) : randomString(12);
      if (random() < 0.08) {
        Object.defineProperty(result, key, {
          enumerable: true,
          configurable: true,
          get: () => {
            throw new Error('hostile getter');
          },
        });
      } else {
        Object.defineProperty(result, key, {
          enumerable: true,
          configurable: true,
          writable: true,
          value: value(),
        });
      }
    }
    return result;
  };
  /** Sometimes not a table at all. */
  const headers = (): unknown => {
    const roll = random();
    if (roll < 0.05) return undefined;
    if (roll < 0.08) return pick(['junk', 42, [VALID], null]);
    if (roll < 0.1)
      return new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('hostile ownKeys');
          },
          get: () => {
            throw new Error('hostile get');
          },
        },
      );
    return table();
  };
  return { headers, randomString };
}

const tracing = setupTracing();
const metrics = setupMetrics();
afterAll(async () => {
  await metrics.shutdown();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());
const runtime = resolveRuntime({ tracerProvider: tracing.provider, meterProvider: metrics.provider });
const info = { system: 'kafka', destination: 'orders', consumerGroup: 'g' };

const carriers: [string, (headers: unknown) => MessageCarrier][] = [
  ['kafka headers', (h) => kafkaHeadersCarrier(h as IHeaders)],
  ['AMQP table', (h) => amqpHeadersCarrier(h as Record<string, unknown>)],
];

// A traceparent the message already carries, as the carrier can read it (or nothing when unreadable).
function readableTraceparent(headers: unknown): unknown {
  try {
    const table = headers as Record<string, unknown>;
    return Object.hasOwn(table, 'traceparent') ? table.traceparent : undefined;
  } catch {
    return undefined;
  }
}

describe.each(carriers)('%s under random hostile headers', (_name, carrierFor) => {
  it(`never throws, caps decoded values, runs the handler once, keeps a user traceparent (seed ${SEED})`, () => {
    const random = mulberry32(SEED);
    const { headers } = generator(random);
    for (let i = 0; i < ITERATIONS; i++) {
      const input = headers();
      const carrier = carrierFor(input);
      const where = `seed ${SEED}, iteration ${i}`;
      expect(() => carrier.keys(), where).not.toThrow();
      for (const key of [...KEYS, ...carrier.keys()]) {
        const decoded = carrier.get(key);
        if (decoded !== undefined) {
          expect(typeof decoded, where).toBe('string');
          expect(decoded.length, where).toBeLessThanOrEqual(MAX_HEADER_VALUE_LENGTH);
        }
      }
      let calls = 0;
      expect(() => beginProcess(runtime, info, carrier).run(() => calls++), where).not.toThrow();
      expect(calls, where).toBe(1);

      const before = readableTraceparent(input);
      expect(() => beginSend(runtime, info, [carrier]).end(), where).not.toThrow();
      // Compared by identity: a failure must not print megabytes of header.
      if (before !== undefined) {
        expect(Object.is(readableTraceparent(input), before), `${where}: traceparent replaced`).toBe(true);
      }
    }
  });
});

describe('pathway header under random input', () => {
  it(`parses or ignores, never throws, and what it accepts round-trips (seed ${SEED})`, () => {
    const random = mulberry32(SEED + 1);
    const { randomString } = generator(random);
    const alphabet = '0123456789abcdef:-x ';
    for (let i = 0; i < 5000; i++) {
      const value =
        random() < 0.5
          ? randomString(80)
          : Array.from(
              { length: Math.floor(random() * 60) },
              () => alphabet[Math.floor(random() * alphabet.length)],
            ).join('');
      const parsed = parsePathway(value);
      if (parsed) expect(formatPathway(parsed), `iteration ${i}`).toBe(value);
    }
  });
});

describe('wrappers fed hostile messages', () => {
  it('kafkajs eachMessage and amqplib consume still call the handler exactly once per message', async () => {
    const random = mulberry32(SEED + 2);
    const { headers } = generator(random);
    let runConfig: ConsumerRunConfig | undefined;
    const fakeConsumer = {
      run: (config?: ConsumerRunConfig) => ((runConfig = config), Promise.resolve()),
      commitOffsets: () => Promise.resolve(),
    };
    let kafkaCalls = 0;
    await instrumentKafkaConsumer(fakeConsumer as unknown as Consumer, {
      tracerProvider: tracing.provider,
    }).run({
      eachMessage: () => (kafkaCalls++, Promise.resolve()),
    });
    let onMessage: ((msg: ConsumeMessage | null) => void) | undefined;
    const fakeChannel = {
      consume: (_q: string, cb: (msg: ConsumeMessage | null) => void) => (
        (onMessage = cb),
        Promise.resolve({ consumerTag: 't' })
      ),
    };
    let amqpCalls = 0;
    await instrumentAmqpChannel(fakeChannel as unknown as Channel, {
      tracerProvider: tracing.provider,
    }).consume('q', () => void amqpCalls++);

    for (let i = 0; i < 200; i++) {
      const payload = {
        topic: 'orders',
        partition: 0,
        message: {
          key: null,
          value: null,
          timestamp: '0',
          attributes: 0,
          offset: String(i),
          headers: headers(),
        },
        heartbeat: () => Promise.resolve(),
        pause: () => () => {},
      } as unknown as EachMessagePayload;
      await runConfig?.eachMessage?.(payload);
      onMessage?.({
        content: Buffer.alloc(0),
        fields: {
          deliveryTag: i,
          redelivered: random() < 0.5,
          exchange: '',
          routingKey: 'q',
          consumerTag: 't',
        },
        properties: { headers: headers() },
      } as unknown as ConsumeMessage);
    }
    expect(kafkaCalls).toBe(200);
    expect(amqpCalls).toBe(200);
  });
});
