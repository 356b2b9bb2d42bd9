import { MAX_HEADER_VALUE_LENGTH, type MessageCarrier } from './carrier.js';
import { asPlainRecord, type HeaderTable } from './plain-record.js';

/*
 * Helpers shared by carriers whose headers are a plain object keyed by name
 * (Kafka, AMQP). Header objects come off the wire, so every access assumes
 * the worst: not an object, inherited keys, getters that throw.
 */

export type { HeaderTable };

/** Only plain objects: a Buffer where headers belong would list one key per byte. */
export function asHeaderTable(headers: unknown): HeaderTable | undefined {
  return asPlainRecord(headers);
}

/**
 * The own key matching `key`, exactly first and then ignoring case. Header
 * names are case-insensitive in practice (clients in other languages send
 * `Traceparent`), and only own keys count so `constructor` or `__proto__`
 * never resolve to something inherited from Object.prototype.
 */
export function findOwnKey(table: HeaderTable, key: string): string | undefined {
  if (Object.hasOwn(table, key)) return key;
  // Only same-length names can match: most lookups (a propagator asking for
  // `tracestate` or `baggage` on a message without them) lower-case nothing.
  const length = key.length;
  let wanted: string | undefined;
  for (const k of Object.keys(table)) {
    if (k.length !== length) continue;
    wanted ??= key.toLowerCase();
    if (k.toLowerCase() === wanted) return k;
  }
  return undefined;
}

/**
 * A header value as text: strings as they are, byte arrays (Buffer is one)
 * decoded as UTF-8. Anything else, or a value over the size cap, is treated as
 * absent; the size check comes before decoding so a huge value costs nothing.
 */
export function decodeHeaderValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length <= MAX_HEADER_VALUE_LENGTH ? value : undefined;
  if (value instanceof Uint8Array) {
    if (value.byteLength > MAX_HEADER_VALUE_LENGTH) return undefined;
    // A Buffer (what kafkajs and amqplib hand out) decodes as is; another
    // Uint8Array through a Buffer view of its bytes (no copy).
    if (Buffer.isBuffer(value)) return value.toString('utf8');
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  }
  return undefined;
}

/** Sets `key`, first removing any differently-cased duplicate so readers see one value. */
export function setReplacingCase(table: HeaderTable, key: string, value: string): void {
  const length = key.length;
  let wanted: string | undefined;
  for (const existing of Object.keys(table)) {
    if (existing.length !== length || existing === key) continue;
    wanted ??= key.toLowerCase();
    if (existing.toLowerCase() === wanted) delete table[existing];
  }
  table[key] = value;
}

/** Own string keys; never throws. */
export function ownKeys(table: HeaderTable | undefined): string[] {
  try {
    return table ? Object.keys(table) : [];
  } catch {
    return [];
  }
}

/**
 * A {@link MessageCarrier} over a header table whose values `read` decodes (the broker-specific
 * part: AMQP field types, Kafka's repeated keys, MQTT's repeated user properties). Lookups ignore
 * case; writes store strings, replacing any case variant, in the object given (pass a copy to keep
 * the caller's unchanged); with no table, reads find nothing and writes are dropped. Never throws.
 * A class rather than an object of closures: one allocation per message.
 */
export class HeaderTableCarrier implements MessageCarrier {
  constructor(
    private readonly table: HeaderTable | undefined,
    private readonly read: (value: unknown) => string | undefined,
  ) {}

  get(key: string): string | undefined {
    try {
      const table = this.table;
      if (!table) return undefined;
      const found = findOwnKey(table, key);
      return found === undefined ? undefined : this.read(table[found]);
    } catch {
      return undefined;
    }
  }

  set(key: string, value: string): void {
    try {
      if (this.table) setReplacingCase(this.table, key, value);
    } catch {
      // A frozen or exotic object: the header is not written.
    }
  }

  keys(): string[] {
    return ownKeys(this.table);
  }
}
