import type { IHeaders } from 'kafkajs';
import type { MessageCarrier } from '../../propagation/carrier.js';
import { asHeaderTable, decodeHeaderValue, HeaderTableCarrier } from '../../propagation/header-table.js';

/**
 * Reads a Kafka header value as kafkajs delivers it: a Buffer (always, on the
 * consumer side), a string (what producers usually pass), or an array when the
 * record has the same key more than once.
 *
 * For arrays the LAST decodable value wins. Kafka headers are an ordered list
 * that allows repeated keys, and whoever touches a record later appends rather
 * than replaces (the Java client's `Headers.lastHeader()` follows the same
 * rule). Joining the values, as some instrumentations do, produces a string
 * no propagator can parse.
 */
function readKafkaValue(value: unknown): string | undefined {
  if (!Array.isArray(value)) return decodeHeaderValue(value);
  for (let i = value.length - 1; i >= 0; i--) {
    const decoded = decodeHeaderValue(value[i]);
    if (decoded !== undefined) return decoded;
  }
  return undefined;
}

/**
 * A {@link MessageCarrier} over kafkajs message headers. Lookups ignore case;
 * writes store strings (kafkajs encodes them as UTF-8) and go into the object
 * you pass, so pass a copy if the caller's object must stay unchanged.
 * `headers` may be undefined (old message formats have none): reads then find
 * nothing and writes are dropped.
 */
export function kafkaHeadersCarrier(headers: IHeaders | undefined): MessageCarrier {
  return new HeaderTableCarrier(asHeaderTable(headers), readKafkaValue);
}
