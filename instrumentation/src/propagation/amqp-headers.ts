import type { MessageCarrier } from './carrier.js';
import {
  asHeaderTable,
  decodeHeaderValue,
  findOwnKey,
  ownKeys,
  setReplacingCase,
  type HeaderTable,
} from './header-table.js';

/**
 * A {@link MessageCarrier} over an AMQP 0-9-1 header table: `options.headers`
 * when publishing, `msg.properties.headers` when consuming (undefined when the
 * message has no headers).
 *
 * Table values can be any AMQP field type. amqplib decodes long strings to JS
 * strings and byte arrays to Buffers, and other clients send trace headers as
 * either, so both are read; numbers, timestamps, nested tables and arrays are
 * never trace context and are ignored. Lookups ignore case. Writes store
 * strings and go into the object you pass, so pass a copy if the caller's
 * object must stay unchanged; with no table, writes are dropped.
 */
export function amqpHeadersCarrier(headers: Record<string, unknown> | undefined): MessageCarrier {
  return new AmqpHeadersCarrier(asHeaderTable(headers));
}

// A class rather than an object of closures: one allocation per message.
class AmqpHeadersCarrier implements MessageCarrier {
  constructor(private readonly table: HeaderTable | undefined) {}

  get(key: string): string | undefined {
    try {
      const table = this.table;
      if (!table) return undefined;
      const found = findOwnKey(table, key);
      return found === undefined ? undefined : decodeHeaderValue(table[found]);
    } catch {
      return undefined;
    }
  }

  set(key: string, value: string): void {
    if (this.table) setReplacingCase(this.table, key, value);
  }

  keys(): string[] {
    return ownKeys(this.table);
  }
}
