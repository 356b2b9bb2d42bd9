/**
 * Dead-letter naming conventions (issue #7): `*.dlq`, `*.DLT` (Spring Kafka), `*_error` (MassTransit),
 * `*.dead-letter`, `dlq.*` (our JetStream default), `*:dlq` (our Redis Streams default). Case-insensitive,
 * because users write all of them.
 */
const DLQ_NAME = /(\.dlq|\.dlt|_error|\.dead-letter|[-_.]deadletter|[-_:]dlq)$|^dlq\./i;

export function looksLikeDlq(name: string): boolean {
  return DLQ_NAME.test(name);
}
