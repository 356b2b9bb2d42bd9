import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { MessagingSpan } from '@/lib/ingest/messaging-span';
import { SCHEMA_STATEMENTS } from './schema';
import type { DeliveryEdgeRow, PublishEdgeRow, StoreStats, TelemetryStore, TimeWindow } from './types';

function appendNullable(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

// Percentiles as a list, unpacked by the caller's SELECT (one sort instead of three).
const PERCENTILES = '[0.5, 0.95, 0.99]';

function percentiles(row: Record<string, unknown>) {
  const q = row.q as (number | null)[] | null;
  return { p50Ms: q?.[0] ?? null, p95Ms: q?.[1] ?? null, p99Ms: q?.[2] ?? null };
}

/**
 * The embedded store: one DuckDB file, one writer connection whose appends are
 * serialized (DuckDB allows one writing process per file), and a separate
 * connection for reads so queries never wait behind a write batch.
 */
export class DuckDbStore implements TelemetryStore {
  private writeChain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
  ) {}

  static async open(databasePath: string): Promise<DuckDbStore> {
    await fs.mkdir(path.dirname(databasePath), { recursive: true });
    const instance = await DuckDBInstance.create(databasePath);
    const writer = await instance.connect();
    for (const statement of SCHEMA_STATEMENTS) await writer.run(statement);
    return new DuckDbStore(instance, writer, await instance.connect());
  }

  appendSpans(spans: readonly MessagingSpan[]): Promise<void> {
    const next = this.writeChain.then(() => this.writeBatch(spans));
    // Keep the chain alive after a failed batch; the caller still sees the error.
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  /** One transaction per batch: spans and their links land together or not at all. */
  private async writeBatch(spans: readonly MessagingSpan[]): Promise<void> {
    if (spans.length === 0) return;
    await this.writer.run('BEGIN TRANSACTION');
    try {
      const rows = await this.writer.createAppender('messaging_spans');
      const links = await this.writer.createAppender('span_links');
      for (const s of spans) {
        rows.appendVarchar(s.traceId);
        rows.appendVarchar(s.spanId);
        appendNullable(rows, s.parentSpanId);
        rows.appendVarchar(s.service);
        rows.appendVarchar(s.name);
        rows.appendUTinyInt(s.kind);
        rows.appendBigInt(BigInt(s.startTimeUs));
        rows.appendBigInt(BigInt(s.durationUs));
        rows.appendUTinyInt(s.statusCode);
        appendNullable(rows, s.statusMessage);
        appendNullable(rows, s.errorType);
        rows.appendVarchar(s.system);
        appendNullable(rows, s.operationType);
        appendNullable(rows, s.operationName);
        appendNullable(rows, s.destination);
        appendNullable(rows, s.consumerGroup);
        appendNullable(rows, s.messageId);
        appendNullable(rows, s.conversationId);
        if (s.batchMessageCount === null) rows.appendNull();
        else rows.appendInteger(s.batchMessageCount);
        rows.appendVarchar(s.attributesJson);
        rows.endRow();
        for (const link of s.links) {
          links.appendVarchar(s.traceId);
          links.appendVarchar(s.spanId);
          links.appendVarchar(link.traceId);
          links.appendVarchar(link.spanId);
          links.endRow();
        }
      }
      rows.closeSync();
      links.closeSync();
      await this.writer.run('COMMIT');
    } catch (error) {
      await this.writer.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async publishEdges(window: TimeWindow): Promise<PublishEdgeRow[]> {
    const result = await this.reader.runAndReadAll(
      `SELECT service, system, destination,
              sum(coalesce(batch_message_count, 1))::INTEGER AS messages,
              count(*) FILTER (WHERE status_code = 2)::INTEGER AS errors,
              quantile_cont(duration_us / 1000.0, ${PERCENTILES}) AS q
         FROM messaging_spans
        WHERE operation_type = 'send' AND destination IS NOT NULL
          AND start_us >= $from AND start_us < $to
        GROUP BY ALL
        ORDER BY service, destination`,
      { from: BigInt(window.fromUs), to: BigInt(window.toUs) },
    );
    return result.getRowObjectsJS().map((row) => ({
      service: row.service as string,
      system: row.system as string,
      destination: row.destination as string,
      messages: row.messages as number,
      errors: row.errors as number,
      ...percentiles(row),
    }));
  }

  /**
   * Deliveries (process spans) joined to the send span that produced them,
   * through a span link (the default) or the parent (parent-child mode), to
   * measure latency from send to the start of processing.
   */
  async deliveryEdges(window: TimeWindow): Promise<DeliveryEdgeRow[]> {
    const result = await this.reader.runAndReadAll(
      `WITH process AS (
         SELECT trace_id, span_id, parent_span_id, service, system, destination, consumer_group, status_code, start_us
           FROM messaging_spans
          WHERE operation_type = 'process' AND destination IS NOT NULL
            AND start_us >= $from AND start_us < $to
       ), producer_candidates AS (
         SELECT l.trace_id, l.span_id, l.linked_trace_id AS p_trace, l.linked_span_id AS p_span
           FROM span_links l SEMI JOIN process p ON l.trace_id = p.trace_id AND l.span_id = p.span_id
         UNION ALL
         SELECT trace_id, span_id, trace_id, parent_span_id FROM process WHERE parent_span_id IS NOT NULL
       ), sent AS (
         SELECT c.trace_id, c.span_id, min(s.start_us) AS sent_us
           FROM producer_candidates c
           JOIN messaging_spans s ON s.trace_id = c.p_trace AND s.span_id = c.p_span
          WHERE s.operation_type IN ('send', 'create')
          GROUP BY ALL
       )
       SELECT p.system, p.destination, p.service, p.consumer_group AS "consumerGroup",
              count(*)::INTEGER AS messages,
              count(*) FILTER (WHERE p.status_code = 2)::INTEGER AS errors,
              count(sent.sent_us)::INTEGER AS "latencySamples",
              quantile_cont((p.start_us - sent.sent_us) / 1000.0, ${PERCENTILES}) AS q
         FROM process p LEFT JOIN sent ON sent.trace_id = p.trace_id AND sent.span_id = p.span_id
        GROUP BY ALL
        ORDER BY p.destination, p.service`,
      { from: BigInt(window.fromUs), to: BigInt(window.toUs) },
    );
    return result.getRowObjectsJS().map((row) => ({
      system: row.system as string,
      destination: row.destination as string,
      service: row.service as string,
      consumerGroup: (row.consumerGroup as string | null) ?? null,
      messages: row.messages as number,
      errors: row.errors as number,
      latencySamples: row.latencySamples as number,
      ...percentiles(row),
    }));
  }

  async stats(): Promise<StoreStats> {
    const result = await this.reader.runAndReadAll('SELECT count(*)::INTEGER AS n FROM messaging_spans');
    return { messagingSpans: (result.getRowObjectsJS()[0]?.n as number) ?? 0 };
  }

  async close(): Promise<void> {
    await this.writeChain;
    this.reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
