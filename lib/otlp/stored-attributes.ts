import type { Attributes } from '@/lib/model/telemetry';
import { decodeAttributeFields } from './proto-attributes';

/**
 * Reads a span's stored attributes (MessagingSpan.attributes): JSON text
 * starts with `{`; protobuf KeyValue fields start with Span field 9's tag
 * (0x4a), so the first byte tells the format.
 */
export function decodeStoredAttributes(bytes: Uint8Array): Attributes {
  if (bytes.length === 0) return {};
  try {
    if (bytes[0] === 0x7b) return JSON.parse(Buffer.from(bytes).toString('utf8')) as Attributes;
    return decodeAttributeFields(bytes);
  } catch {
    return {}; // only ever written by ingest after validation; never fail a journey over it
  }
}
