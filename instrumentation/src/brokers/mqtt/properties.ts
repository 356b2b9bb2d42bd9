import type { MessageCarrier } from '../../propagation/carrier.js';
import { decodeHeaderValue, HeaderTableCarrier } from '../../propagation/header-table.js';
import { asPlainRecord } from '../../propagation/plain-record.js';

/*
 * MQTT 5 user properties are a list of UTF-8 name/value pairs in which a name
 * may repeat (MQTT 5.0 §3.3.2.3.7). mqtt.js exposes them as
 * `properties.userProperties`: `{ [name]: string | string[] }`. Propagation
 * follows the W3C "Trace Context: MQTT format" draft (user properties
 * `traceparent` and `tracestate`, as EMQX implements it). MQTT 3.1.1 has no
 * properties at all: the wrappers emit spans there without propagation.
 */

function firstAcceptable(value: unknown): string | undefined {
  if (!Array.isArray(value)) return nonEmpty(decodeHeaderValue(value));
  for (const item of value as unknown[]) {
    const decoded = nonEmpty(decodeHeaderValue(item));
    if (decoded !== undefined) return decoded;
  }
  return undefined;
}

const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);

/**
 * A {@link MessageCarrier} over mqtt.js user properties: the
 * `properties.userProperties` you publish with, or `packet.properties?.userProperties`
 * of a received message. Lookups ignore case; for a repeated property the
 * first usable value wins. Writes store a single string, replacing any case
 * variant, and go into the object you pass (pass a copy to keep the caller's
 * object unchanged); with no object, writes are dropped. Never throws.
 */
export function mqttUserPropertiesCarrier(userProperties: unknown): MessageCarrier {
  return new HeaderTableCarrier(asPlainRecord(userProperties), firstAcceptable);
}
