import { describe, expect, it } from 'vitest';
import { failureFingerprint } from '../../src/dlq/fingerprint.js';
import { encodeDeadLetterHeaders, type DeadLetterRecord } from '../../src/dlq/headers.js';
import { PARSE_LIMITS, type DeadLetterFailure } from '../../src/dlq/model.js';
import { parseDeadLetter, type DeadLetterInput } from '../../src/dlq/parse.js';
import { hostileInput, seededRandom } from './hostile-dead-letters.js';

const SEED = 0x5eed_d1a;
const RUNS = 1500;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DIALECTS = new Set([
  'signalbox',
  'rabbitmq',
  'spring-kafka',
  'kafka-connect',
  'masstransit',
  'nservicebus',
  'azure-servicebus',
  'sqs',
  'bullmq',
  'nats',
]);

const stringOrNull = (value: unknown, max: number) => {
  if (value === null) return;
  expect(typeof value).toBe('string');
  expect((value as string).length).toBeLessThanOrEqual(max);
};

/** Everything the dashboard relies on about a model, whatever the input was. */
function expectWellFormed(failure: DeadLetterFailure): void {
  stringOrNull(failure.reason, PARSE_LIMITS.text);
  stringOrNull(failure.errorType, PARSE_LIMITS.text);
  stringOrNull(failure.errorMessage, PARSE_LIMITS.errorMessage);
  stringOrNull(failure.stackTrace, PARSE_LIMITS.stackTrace);
  for (const key of ['system', 'destination', 'offset', 'messageId', 'consumerGroup'] as const) {
    stringOrNull(failure.source[key], PARSE_LIMITS.text);
  }
  for (const value of [failure.source.partition, failure.attempts]) {
    if (value !== null) expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
  }
  for (const value of [failure.firstFailedAt, failure.lastFailedAt])
    if (value !== null) expect(value).toMatch(ISO);
  if (failure.traceparent !== null)
    expect(failure.traceparent).toMatch(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
  if (failure.replay !== null) stringOrNull(failure.replay.id, 128);
  for (const dialect of failure.dialects) expect(DIALECTS.has(dialect)).toBe(true);
  expect(failure.dialect).toBe(failure.dialects[0] ?? null);
  const details = Object.entries(failure.details);
  expect(details.length).toBeLessThanOrEqual(PARSE_LIMITS.detailEntries);
  for (const [, value] of details) stringOrNull(value, PARSE_LIMITS.text);
  // Plain JSON, exactly: what the dashboard stores and serves.
  expect(JSON.parse(JSON.stringify(failure))).toEqual(failure);
  expect(failureFingerprint(failure)).toMatch(/^[0-9a-f]{16}$/);
}

describe('parseDeadLetter on hostile input (seeded fuzz)', () => {
  it(`never throws and always returns a bounded, JSON-clean model (seed ${SEED}, ${RUNS} inputs)`, () => {
    const random = seededRandom(SEED);
    const seen = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const input = hostileInput(random) as DeadLetterInput;
      let failure: DeadLetterFailure | undefined;
      expect(() => (failure = parseDeadLetter(input)), `input #${i}`).not.toThrow();
      if (failure) expectWellFormed(failure);
      for (const dialect of failure?.dialects ?? []) seen.add(dialect);
    }
    // The generator must actually reach every reader, or this test proves little.
    expect([...seen].sort()).toEqual([...DIALECTS].sort());
  });

  it('is deterministic: the same input gives the same model', () => {
    const random = seededRandom(SEED + 1);
    for (let i = 0; i < 200; i++) {
      const input = hostileInput(random) as DeadLetterInput;
      expect(parseDeadLetter(input), `input #${i}`).toEqual(parseDeadLetter(input));
    }
  });
});

describe('Signalbox headers round trip (seeded property)', () => {
  const alphabet = ['a', 'Z', '0', ' ', '%', '\n', '\r', '\t', 'é', '“', '🚀', ':', '"', '\\'];

  it('parse(encode(record)) gives back every field, cut only where the documented limits say', () => {
    const random = seededRandom(SEED + 2);
    const str = (max: number) => {
      const length = 1 + Math.floor(random() * max);
      let out = 'x';
      for (let i = 1; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
      return out + 'y';
    };
    for (let i = 0; i < 300; i++) {
      const record: DeadLetterRecord = {
        id: `id-${i}`,
        reason: str(20),
        system: 'kafka',
        destination: str(40),
        partition: Math.floor(random() * 1000),
        offset: String(Math.floor(random() * 2 ** 52)),
        consumerGroup: str(30),
        errorType: str(40),
        errorMessage: str(random() < 0.2 ? 2000 : 200),
        errorStack: str(random() < 0.2 ? 9000 : 300),
        attempts: 1 + Math.floor(random() * 50),
        firstFailedAt: new Date(1.7e12 + Math.floor(random() * 1e11)).toISOString(),
        lastFailedAt: new Date(1.8e12 + Math.floor(random() * 1e11)).toISOString(),
      };
      const failure = parseDeadLetter({
        system: 'kafka',
        destination: 'x.DLT',
        headers: encodeDeadLetterHeaders(record),
      });
      const same = (actual: string | null, expected: string) => {
        if (actual === expected) return;
        // Cut: a prefix of the original, marked with the ellipsis.
        expect(actual?.endsWith('…'), `#${i}: ${JSON.stringify(actual)}`).toBe(true);
        expect(expected.startsWith(actual?.slice(0, -1) ?? '\u0000'), `#${i}`).toBe(true);
      };
      expect(failure.reason).toBe(record.reason);
      expect(failure.source).toMatchObject({
        destination: record.destination,
        partition: record.partition,
        offset: record.offset,
        consumerGroup: record.consumerGroup,
      });
      expect(failure.errorType).toBe(record.errorType);
      same(failure.errorMessage, record.errorMessage ?? '');
      same(failure.stackTrace, record.errorStack ?? '');
      expect(failure).toMatchObject({
        attempts: record.attempts,
        firstFailedAt: record.firstFailedAt,
        lastFailedAt: record.lastFailedAt,
      });
    }
  });
});
