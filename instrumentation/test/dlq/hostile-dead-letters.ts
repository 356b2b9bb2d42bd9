/*
 * A seeded generator of hostile dead-letter input: every dialect's header
 * names with values of every wrong shape, plus Proxies that throw, cyclic and
 * huge arrays, binary junk and absurd numbers. Seeded so a failure reproduces.
 */

export { seededRandom } from '../support/hostile-values.js';

type Random = () => number;

const KNOWN_NAMES = [
  'signalbox-dlq-version',
  'signalbox-dlq-id',
  'signalbox-dlq-reason',
  'signalbox-dlq-original-system',
  'signalbox-dlq-original-destination',
  'signalbox-dlq-original-partition',
  'signalbox-dlq-original-offset',
  'signalbox-dlq-error-type',
  'signalbox-dlq-error-message',
  'signalbox-dlq-error-stack',
  'signalbox-dlq-attempts',
  'signalbox-dlq-first-failed-at',
  'signalbox-dlq-last-failed-at',
  'signalbox-dlq-original-traceparent',
  'signalbox-replay-id',
  'signalbox-replay-count',
  'signalbox-dlq',
  'traceparent',
  'x-death',
  'x-first-death-queue',
  'x-last-death-reason',
  'x-delivery-count',
  'kafka_dlt-original-topic',
  'kafka_dlt-original-partition',
  'kafka_dlt-original-offset',
  'kafka_dlt-original-timestamp',
  'kafka_dlt-exception-message',
  'kafka_dlt-exception-stacktrace',
  'retry_topic-attempts',
  '__connect.errors.topic',
  '__connect.errors.offset',
  '__connect.errors.exception.message',
  'MT-Reason',
  'MT-Fault-InputAddress',
  'MT-Fault-RetryCount',
  'MT-Fault-Timestamp',
  'NServiceBus.FailedQ',
  'NServiceBus.TimeOfFailure',
  'NServiceBus.ExceptionInfo.Message',
  'DeadLetterReason',
  'DeadLetterErrorDescription',
  'DeliveryCount',
  'Diagnostic-Id',
  'DeadLetterQueueSourceArn',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'Nats-Subject',
  'failedReason',
  'stacktrace',
  'attemptsMade',
  'finishedOn',
  'opts',
  'data',
  '__proto__',
  'constructor',
  'toString',
];

const HUGE_STRING = 'é\n%'.repeat(400_000);
const HUGE_BUFFER = Buffer.alloc(2 * 1024 * 1024, 0xff);

function throwingProxy(): object {
  const fail = () => {
    throw new Error('hostile proxy');
  };
  return new Proxy(
    {},
    { get: fail, ownKeys: fail, has: fail, getOwnPropertyDescriptor: fail, getPrototypeOf: fail },
  );
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const throwingGetter = () =>
  Object.defineProperty({}, 'value', {
    enumerable: true,
    get() {
      throw new Error('hostile getter');
    },
  });

function randomString(random: Random): string {
  const length = Math.floor(random() * 60);
  let out = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.5) out += String.fromCharCode(0x20 + Math.floor(random() * 95));
    else if (r < 0.7) out += String.fromCharCode(Math.floor(random() * 32));
    else if (r < 0.8) out += '%';
    else if (r < 0.9) out += String.fromCharCode(0xd800 + Math.floor(random() * 0x800));
    else out += String.fromCodePoint(Math.floor(random() * 0x10ffff));
  }
  return out;
}

function randomBytes(random: Random): Buffer {
  const lengths = [0, 1, 2, 4, 8, 3, 17, 64];
  const length = lengths[Math.floor(random() * lengths.length)] ?? 0;
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

/** One hostile value; `depth` bounds nesting so generation terminates. */
export function hostileValue(random: Random, depth = 0): unknown {
  const pick = Math.floor(random() * 24);
  switch (pick) {
    case 0:
      return randomString(random);
    case 1:
      return randomBytes(random);
    case 2:
      return [NaN, Infinity, -Infinity, -0, 1e308, -1, 2 ** 53 + 1, 0.5][Math.floor(random() * 8)];
    case 3:
      return BigInt(Math.floor(random() * 1e9)) * 10n ** BigInt(Math.floor(random() * 30));
    case 4:
      return random() < 0.5 ? new Date(NaN) : new Date(random() * 1e14);
    case 5:
      return HUGE_STRING;
    case 6:
      return HUGE_BUFFER;
    case 7: {
      const cyclic: unknown[] = [];
      cyclic.push(cyclic, cyclic);
      return cyclic;
    }
    case 8:
      return new Array(1e9); // sparse: huge length, no elements
    case 9:
      return throwingProxy();
    case 10:
      return revokedProxy();
    case 11:
      return throwingGetter();
    case 12:
      return { '!': 'timestamp', value: hostileValue(random, depth + 1) };
    case 13:
      return { DataType: 'String', StringValue: hostileValue(random, depth + 1) };
    case 14:
      return depth > 2 ? null : Array.from({ length: 3 }, () => hostileValue(random, depth + 1));
    case 15:
      return depth > 2 ? {} : hostileRecord(random, depth + 1);
    case 16:
      return { toString: () => { throw new Error('hostile toString'); } }; // prettier-ignore
    case 17:
      return Symbol('s');
    case 18:
      return () => 'function';
    case 19:
      return JSON.stringify({
        type: 'io.nats.jetstream.advisory.v1.max_deliver',
        stream_seq: random() < 0.5 ? random() * 1e20 : randomString(random),
        deliveries: -1,
      });
    case 20:
      return Object.create(null) as object;
    case 21:
      return '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    case 22:
      return String(Math.floor(random() * 2e12));
    default:
      return undefined;
  }
}

/** A record with known dialect names (and a few random ones) mapped to hostile values. */
export function hostileRecord(random: Random, depth = 0): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const entries = Math.floor(random() * 12);
  for (let i = 0; i < entries; i++) {
    const name =
      random() < 0.85 ? KNOWN_NAMES[Math.floor(random() * KNOWN_NAMES.length)] : randomString(random);
    Object.defineProperty(record, name ?? 'x', {
      value: hostileValue(random, depth),
      enumerable: true,
      configurable: true,
    });
  }
  return record;
}

/** A whole hostile parseDeadLetter input (typed loosely on purpose: plain-JS callers exist). */
export function hostileInput(random: Random): unknown {
  const shape = (): unknown => {
    const r = random();
    if (r < 0.6) return hostileRecord(random);
    if (r < 0.7) return new Map(Object.entries(hostileRecord(random)));
    if (r < 0.8) return Object.entries(hostileRecord(random)).flat();
    return hostileValue(random);
  };
  const input: Record<string, unknown> = {
    system:
      random() < 0.8
        ? ['kafka', 'rabbitmq', 'sqs', 'nats', 'redis', 'bullmq'][Math.floor(random() * 6)]
        : hostileValue(random),
    destination: random() < 0.8 ? 'orders.dlq' : hostileValue(random),
    headers: shape(),
  };
  if (random() < 0.4)
    input.attributes = random() < 0.5 ? { MessageAttributes: shape(), Attributes: shape() } : shape();
  if (random() < 0.3) input.job = random() < 0.7 ? hostileRecord(random) : hostileValue(random);
  if (random() < 0.3) input.advisory = hostileValue(random);
  if (random() < 0.3) input.timestamp = hostileValue(random);
  return random() < 0.05 ? hostileValue(random) : input;
}
