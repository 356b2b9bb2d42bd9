/**
 * The DuckDB schema (version 4). Times are integers with their unit in the
 * name (`start_us` = microseconds since the Unix epoch), ids are lowercase
 * hex, latencies in rollups are seconds (OpenTelemetry's unit).
 *
 * Raw spans (kept for journeys, anomalies and "slowest messages"):
 * - span_shapes: the low-cardinality part of a span (service, name, kind,
 *   system, operation, destination, group, status, error type), stored once
 *   and referenced by `shape_id`. Appends stay short (the appender costs per
 *   column) and filters on "process spans of destination X" become integer
 *   filters.
 * - messaging_spans: one row per messaging span (create, send, receive,
 *   process, settle), kept narrow because the appender costs per column.
 *   `trace_key` and `message_key` are 32-bit lookup keys (see
 *   lib/model/keys.ts) that make id lookups fast without an index.
 *   `latency_us` is a process span's send → process-start latency when it was
 *   known at ingest. `attributes` is the full attribute set as it arrived
 *   (protobuf KeyValues or JSON text; lib/otlp/stored-attributes.ts).
 * - span_details: the fields most spans do not have (conversation id,
 *   delivery attempt, replay id, status message), one row only for spans that
 *   have any of them.
 *   A span's first link (how a consumer's process span points at the
 *   producer's send when links, not parents, are used) is on its row
 *   (`link_*`), so following a message needs no extra table for the usual
 *   single link.
 * - span_links: a span's further links (batch consumers link to every message's send).
 *
 * Rollups (maintained at ingest, in the same transaction as the raw rows, so
 * they can never disagree with what was acknowledged):
 * - series: dictionary of rollup series (see lib/model/series.ts for
 *   the kinds); `source` says whether the numbers come from spans or metrics.
 * - series_minute: per minute and series, messages, errors and latency
 *   count/sum/min/max. Several rows may exist for one (minute, series) until
 *   compaction merges them; readers always aggregate.
 * - series_buckets: the latency histogram per minute and series: buckets
 *   (lower, upper] in seconds with counts; mergeable by adding.
 * - series_hour, series_hour_buckets: the same per hour, built from the
 *   minute rows once an hour has closed (and rebuilt if late data touches
 *   it), so a day-long window reads 24 rows per series instead of 1,440.
 *   Readers use an hour's row only when it exists, minutes otherwise.
 * - deliveries: process spans whose send arrived after them (the latency
 *   was learnt later, so it is not on the span's row).
 * - pending_deliveries: process spans that arrived before the send they
 *   consumed; resolved when the send arrives, expired after a while.
 * - pathways: route segments (pathway hash → parent hash, producing service,
 *   destination) learnt from pathway metrics and send spans.
 * - metric_streams: the last cumulative point per metric stream, to turn
 *   cumulative metrics into deltas across restarts.
 * - store_meta: schema version.
 */
export const SCHEMA_VERSION = 4;

export const SCHEMA_STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS span_shapes (
    shape_id INTEGER NOT NULL,
    service VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind UTINYINT NOT NULL,
    system VARCHAR NOT NULL,
    operation_type VARCHAR,
    operation_name VARCHAR,
    destination VARCHAR,
    consumer_group VARCHAR,
    status_code UTINYINT NOT NULL,
    error_type VARCHAR,
    dead_letter BOOLEAN NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS messaging_spans (
    trace_key INTEGER NOT NULL,
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    parent_span_id VARCHAR,
    link_trace_key INTEGER,
    link_trace_id VARCHAR,
    link_span_id VARCHAR,
    shape_id INTEGER NOT NULL,
    start_us BIGINT NOT NULL,
    duration_us BIGINT NOT NULL,
    message_key INTEGER,
    message_id VARCHAR,
    partition VARCHAR,
    message_offset BIGINT,
    routing_key VARCHAR,
    latency_us BIGINT,
    attributes BLOB NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS span_details (
    trace_key INTEGER NOT NULL,
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    start_us BIGINT NOT NULL,
    conversation_key INTEGER,
    conversation_id VARCHAR,
    delivery_attempt INTEGER,
    replay_id VARCHAR,
    status_message VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS span_links (
    trace_key INTEGER NOT NULL,
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    linked_trace_key INTEGER NOT NULL,
    linked_trace_id VARCHAR NOT NULL,
    linked_span_id VARCHAR NOT NULL,
    start_us BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS series (
    series_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    service VARCHAR NOT NULL,
    system VARCHAR NOT NULL,
    destination VARCHAR NOT NULL,
    consumer_group VARCHAR,
    pathway_hash VARCHAR,
    error_type VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS series_minute (
    minute_us BIGINT NOT NULL,
    series_id INTEGER NOT NULL,
    messages DOUBLE NOT NULL,
    errors DOUBLE NOT NULL,
    latency_count DOUBLE NOT NULL,
    latency_sum DOUBLE NOT NULL,
    latency_min DOUBLE,
    latency_max DOUBLE
  )`,
  `CREATE TABLE IF NOT EXISTS series_buckets (
    minute_us BIGINT NOT NULL,
    series_id INTEGER NOT NULL,
    lower DOUBLE NOT NULL,
    upper DOUBLE NOT NULL,
    count DOUBLE NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS series_hour (
    hour_us BIGINT NOT NULL,
    series_id INTEGER NOT NULL,
    messages DOUBLE NOT NULL,
    errors DOUBLE NOT NULL,
    latency_count DOUBLE NOT NULL,
    latency_sum DOUBLE NOT NULL,
    latency_min DOUBLE,
    latency_max DOUBLE
  )`,
  `CREATE TABLE IF NOT EXISTS series_hour_buckets (
    hour_us BIGINT NOT NULL,
    series_id INTEGER NOT NULL,
    lower DOUBLE NOT NULL,
    upper DOUBLE NOT NULL,
    count DOUBLE NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS deliveries (
    start_us BIGINT NOT NULL,
    series_id INTEGER NOT NULL,
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    message_id VARCHAR,
    latency_us BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS pending_deliveries (
    pending_id BIGINT NOT NULL,
    received_us BIGINT NOT NULL,
    producer_trace_id VARCHAR NOT NULL,
    producer_span_id VARCHAR NOT NULL,
    start_us BIGINT NOT NULL,
    series_id INTEGER NOT NULL,
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    message_id VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS pathways (
    hash VARCHAR PRIMARY KEY,
    parent_hash VARCHAR NOT NULL,
    service VARCHAR NOT NULL,
    system VARCHAR NOT NULL,
    destination VARCHAR NOT NULL,
    hops INTEGER,
    last_seen_us BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS metric_streams (
    stream_key VARCHAR PRIMARY KEY,
    start_us BIGINT NOT NULL,
    time_us BIGINT NOT NULL,
    point VARCHAR NOT NULL
  )`,
];

/** Tables of the first schema (issue #2), which had no shapes: such a file is migrated by renaming. */
export const LEGACY_DETECTION = `SELECT count(*) AS n FROM information_schema.columns
  WHERE table_name = 'messaging_spans' AND column_name = 'service'`;
