/**
 * The DuckDB schema. Times are integers with their unit in the name
 * (`start_us` = microseconds since the Unix epoch), which keeps appends cheap
 * and arithmetic exact; ids are lowercase hex.
 *
 * messaging_spans: one row per messaging span (create, send, receive, process,
 *   settle) from any OTLP source. `kind` and `status_code` are OTLP's numbers
 *   (kind 4 = PRODUCER, 5 = CONSUMER; status 2 = ERROR). `attributes` holds the
 *   span's full attribute map as JSON for the journey view.
 * span_links: the span's links (a consumer's link to the producer's context is
 *   how a delivery is joined to its send when links, not parents, are used).
 */
export const SCHEMA_STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS messaging_spans (
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    parent_span_id VARCHAR,
    service VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind UTINYINT NOT NULL,
    start_us BIGINT NOT NULL,
    duration_us BIGINT NOT NULL,
    status_code UTINYINT NOT NULL,
    status_message VARCHAR,
    error_type VARCHAR,
    system VARCHAR NOT NULL,
    operation_type VARCHAR,
    operation_name VARCHAR,
    destination VARCHAR,
    consumer_group VARCHAR,
    message_id VARCHAR,
    conversation_id VARCHAR,
    batch_message_count INTEGER,
    attributes VARCHAR NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS span_links (
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    linked_trace_id VARCHAR NOT NULL,
    linked_span_id VARCHAR NOT NULL
  )`,
];
