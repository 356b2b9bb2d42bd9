import { isDeadLetterHeader } from '@signalbox/instrumentation/protocol';
import { CONTEXT_HEADERS, headerText } from '../dlq-headers';
import { DlqBrokerError, type DlqRecord, type OutgoingMessage } from '../dlq-types';

/*
 * A Redis Streams entry as a DlqRecord and back (pure, tested in dlq-mapping.test.ts).
 *
 * Streams have no headers: an entry is a list of field/value pairs. deadLetterRedisStream appends the
 * `signalbox-dlq-*` set as fields after the original ones, and the instrumentation carries trace
 * context and the replay markers as fields too. Those fields are the record's headers; every other
 * field is the payload, shown as the body: a JSON object of field → value (binary values as
 * `base64:…`). A replay writes the payload fields back exactly as read (bytes, order and repeated
 * names kept), then the headers; only an edited body is rebuilt from its JSON.
 */

/** Whether a field is metadata rather than payload: a context header or a `signalbox-dlq-*` one. */
export function isHeaderField(name: string): boolean {
  const lower = name.toLowerCase();
  return CONTEXT_HEADERS.has(lower) || isDeadLetterHeader(lower);
}

/** The payload fields, kept byte for byte for the copy; carried in DlqRecord.properties. */
interface RedisCopyProperties {
  redisPayload: Buffer[];
  /** The body made from them: a copy whose body differs was edited. */
  redisBody: Buffer;
}

/** The ms part of an entry id (`1700000000000-0`) as ISO 8601, or null for a custom id. */
function idTime(id: string): string | null {
  const ms = Number(id.split('-')[0]);
  return Number.isSafeInteger(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

/** One entry as XRANGE returns it with Buffers (`[id, [field, value, ...]]`) as a record. */
export function redisRecord(id: string, fields: readonly Buffer[]): DlqRecord {
  const headers: Record<string, string> = {};
  const payload: Buffer[] = [];
  const shown: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i] ?? Buffer.alloc(0);
    const value = fields[i + 1] ?? Buffer.alloc(0);
    const text = headerText(name);
    if (isHeaderField(text)) headers[text] = headerText(value);
    else {
      payload.push(name, value);
      shown[text] = headerText(value);
    }
  }
  const body = Buffer.from(JSON.stringify(shown), 'utf8');
  const properties: RedisCopyProperties = { redisPayload: payload, redisBody: body };
  return {
    key: id,
    headers,
    // The whole field list, as parseDeadLetter reads Redis entries.
    rawHeaders: fields,
    body,
    messageKey: null,
    timestamp: idTime(id),
    properties: properties as unknown as Record<string, unknown>,
  };
}

/** The payload of an edited body: a JSON object; strings are written as they are, other values as JSON. */
function editedPayload(body: Buffer): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DlqBrokerError(
      'a Redis Streams entry is a list of fields: the edited body must be a JSON object of field → value',
    );
  }
  return Object.entries(parsed as Record<string, unknown>).flatMap(([name, value]) => [
    name,
    typeof value === 'string' ? value : JSON.stringify(value),
  ]);
}

/** The XADD field list of a replayed copy: the payload fields, then the headers. */
export function redisCopyFields(message: OutgoingMessage): (string | Buffer)[] {
  const p = (message.properties ?? {}) as Partial<RedisCopyProperties>;
  const unchanged =
    Array.isArray(p.redisPayload) && Buffer.isBuffer(p.redisBody) && p.redisBody.equals(message.body);
  const fields: (string | Buffer)[] = unchanged ? [...(p.redisPayload ?? [])] : editedPayload(message.body);
  for (const [name, value] of Object.entries(message.headers)) fields.push(name, value);
  if (fields.length === 0) {
    // XADD needs at least one field pair.
    throw new DlqBrokerError('the copy has no fields: Redis cannot add an empty stream entry');
  }
  return fields;
}
