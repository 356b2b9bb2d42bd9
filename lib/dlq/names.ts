/**
 * Dead-letter naming conventions (issue #7): `*.dlq`, `*.DLT` (Spring Kafka), `*_error` (MassTransit),
 * `*.dead-letter`, `dlq.*` (our JetStream default), `*:dlq` (our Redis Streams default). Case-insensitive,
 * because users write all of them.
 */
const DLQ_NAME = /(\.dlq|\.dlt|_error|\.dead-letter|[-_.]deadletter|[-_:]dlq)$|^dlq\./i;

export function looksLikeDlq(name: string): boolean {
  return DLQ_NAME.test(name);
}

/** `system:name` ids used in URLs (`GET /api/dlq/{id}/messages`). */
export function queueId(system: string, name: string): string {
  return `${system}:${name}`;
}

export function parseQueueId(id: string): { system: string; name: string } | null {
  const at = id.indexOf(':');
  if (at <= 0 || at === id.length - 1) return null;
  return { system: id.slice(0, at), name: id.slice(at + 1) };
}
