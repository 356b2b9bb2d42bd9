import type { MessageCarrier } from '../../propagation/carrier.js';
import { asHeaderTable, decodeHeaderValue, HeaderTableCarrier } from '../../propagation/header-table.js';

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
  return new HeaderTableCarrier(asHeaderTable(headers), decodeHeaderValue);
}
