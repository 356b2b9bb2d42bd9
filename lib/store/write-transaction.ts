import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { StreamState } from '@/lib/model/cumulative-to-delta';
import { textKey, traceKey } from '@/lib/model/keys';
import type { PathwayEdge, SeriesDims } from '@/lib/model/series';
import {
  bigintOrNull,
  deleteByIds,
  doubleOrNull,
  integerOrNull,
  upsertRows,
  varcharOrNull,
} from './appenders';
import type { BucketRow, MinuteRow } from './rollup-accumulator';
import type { SpanWritePlan } from './span-batch';
import type { SpanShape } from './span-shapes';

/** Everything one write transaction contains. */
export interface TransactionContent {
  spans: SpanWritePlan;
  shapes: { id: number; value: SpanShape }[];
  series: { id: number; value: SeriesDims }[];
  minutes: MinuteRow[];
  buckets: BucketRow[];
  pathways: PathwayEdge[];
  streams: [string, StreamState][];
}

const TABLES = [
  'span_shapes',
  'series',
  'messaging_spans',
  'span_links',
  'span_details',
  'series_minute',
  'series_buckets',
  'deliveries',
  'pending_deliveries',
] as const;
type Appenders = Record<(typeof TABLES)[number], DuckDBAppender>;

/**
 * Writes one transaction: raw spans and links, dictionary additions, rollups,
 * delivery joins and metric stream states land together or not at all
 * (DuckDB's WAL makes a committed transaction survive kill -9).
 *
 * Appenders (one native call per value, no SQL) stay open across
 * transactions and are flushed inside each one, so everything between BEGIN
 * and COMMIT runs without yielding to the event loop: with `await`s in
 * between (e.g. creating appenders), the decoding of concurrent requests ran
 * inside every transaction and stretched each one several times over.
 */
export class TransactionWriter {
  private constructor(
    private readonly connection: DuckDBConnection,
    private appenders: Appenders,
  ) {}

  static async create(connection: DuckDBConnection): Promise<TransactionWriter> {
    return new TransactionWriter(connection, await openAppenders(connection));
  }

  async write(content: TransactionContent): Promise<void> {
    const c = this.connection;
    await c.run('BEGIN TRANSACTION');
    try {
      const a = this.appenders;
      appendDictionaries(a, content);
      appendSpans(a, content.spans);
      appendRollups(a, content.minutes, content.buckets);
      appendDeliveries(a, content.spans);
      for (const table of TABLES) a[table].flushSync();
      await deleteByIds(c, 'pending_deliveries', 'pending_id', content.spans.resolvedPendingIds);
      if (content.pathways.length > 0) {
        const rows = content.pathways.map((p) => [
          p.hash,
          p.parentHash,
          p.service,
          p.system,
          p.destination,
          p.hops,
          BigInt(p.seenUs),
        ]);
        await upsertRows(c, 'pathways', 7, rows);
      }
      if (content.streams.length > 0) {
        const rows = content.streams.map(([key, s]) => [
          key,
          BigInt(s.startUs),
          BigInt(s.timeUs),
          JSON.stringify(s.point),
        ]);
        await upsertRows(c, 'metric_streams', 4, rows);
      }
      await c.run('COMMIT');
    } catch (error) {
      await c.run('ROLLBACK').catch(() => undefined);
      // An appender that failed mid-row is unusable: start clean ones.
      for (const appender of Object.values(this.appenders)) {
        try {
          appender.closeSync();
        } catch {
          // already broken; dropped
        }
      }
      this.appenders = await openAppenders(c);
      throw error;
    }
  }

  close(): void {
    for (const appender of Object.values(this.appenders)) appender.closeSync();
  }
}

async function openAppenders(connection: DuckDBConnection): Promise<Appenders> {
  const out: Partial<Appenders> = {};
  for (const table of TABLES) out[table] = await connection.createAppender(table);
  return out as Appenders;
}

function appendDictionaries(a: Appenders, content: TransactionContent): void {
  for (const { id, value: s } of content.shapes) {
    const r = a.span_shapes;
    r.appendInteger(id);
    r.appendVarchar(s.service);
    r.appendVarchar(s.name);
    r.appendUTinyInt(s.kind & 0xff);
    r.appendVarchar(s.system);
    varcharOrNull(r, s.operationType);
    varcharOrNull(r, s.operationName);
    varcharOrNull(r, s.destination);
    varcharOrNull(r, s.consumerGroup);
    r.appendUTinyInt(s.statusCode & 0xff);
    varcharOrNull(r, s.errorType);
    r.appendBoolean(s.deadLetter);
    r.endRow();
  }
  for (const { id, value: d } of content.series) {
    const r = a.series;
    r.appendInteger(id);
    r.appendVarchar(d.kind);
    r.appendVarchar(d.source);
    r.appendVarchar(d.service);
    r.appendVarchar(d.system);
    r.appendVarchar(d.destination);
    varcharOrNull(r, d.consumerGroup);
    varcharOrNull(r, d.pathwayHash);
    varcharOrNull(r, d.errorType);
    r.endRow();
  }
}

function appendSpans(a: Appenders, plan: SpanWritePlan): void {
  const rows = a.messaging_spans;
  const links = a.span_links;
  const details = a.span_details;
  for (const { span: s, shapeId, latencyUs } of plan.spans) {
    const tKey = traceKey(s.traceId);
    rows.appendInteger(tKey);
    rows.appendVarchar(s.traceId);
    rows.appendVarchar(s.spanId);
    varcharOrNull(rows, s.parentSpanId);
    const first = s.links[0];
    if (first) {
      rows.appendInteger(traceKey(first.traceId));
      rows.appendVarchar(first.traceId);
      rows.appendVarchar(first.spanId);
    } else {
      rows.appendNull();
      rows.appendNull();
      rows.appendNull();
    }
    rows.appendInteger(shapeId);
    rows.appendBigInt(BigInt(s.startTimeUs));
    rows.appendBigInt(BigInt(s.durationUs));
    integerOrNull(rows, textKey(s.messageId));
    varcharOrNull(rows, s.messageId);
    varcharOrNull(rows, s.partition);
    bigintOrNull(rows, s.offset);
    varcharOrNull(rows, s.routingKey);
    bigintOrNull(rows, latencyUs);
    rows.appendBlob(s.attributes);
    rows.endRow();
    for (let i = 1; i < s.links.length; i++) {
      const link = s.links[i]!;
      links.appendInteger(tKey);
      links.appendVarchar(s.traceId);
      links.appendVarchar(s.spanId);
      links.appendInteger(traceKey(link.traceId));
      links.appendVarchar(link.traceId);
      links.appendVarchar(link.spanId);
      links.appendBigInt(BigInt(s.startTimeUs));
      links.endRow();
    }
    // Most spans have none of these: a side row only when one is present keeps the main row short.
    if (
      s.conversationId !== null ||
      s.deliveryAttempt !== null ||
      s.replayId !== null ||
      s.statusMessage !== null
    ) {
      details.appendInteger(tKey);
      details.appendVarchar(s.traceId);
      details.appendVarchar(s.spanId);
      details.appendBigInt(BigInt(s.startTimeUs));
      integerOrNull(details, textKey(s.conversationId));
      varcharOrNull(details, s.conversationId);
      integerOrNull(details, s.deliveryAttempt);
      varcharOrNull(details, s.replayId);
      varcharOrNull(details, s.statusMessage);
      details.endRow();
    }
  }
}

function appendRollups(a: Appenders, minutes: MinuteRow[], buckets: BucketRow[]): void {
  for (const m of minutes) {
    const r = a.series_minute;
    r.appendBigInt(BigInt(m.minuteUs));
    r.appendInteger(m.seriesId);
    r.appendDouble(m.messages);
    r.appendDouble(m.errors);
    r.appendDouble(m.latencyCount);
    r.appendDouble(m.latencySum);
    doubleOrNull(r, m.latencyMin);
    doubleOrNull(r, m.latencyMax);
    r.endRow();
  }
  for (const b of buckets) {
    const r = a.series_buckets;
    r.appendBigInt(BigInt(b.minuteUs));
    r.appendInteger(b.seriesId);
    r.appendDouble(b.lower);
    r.appendDouble(b.upper);
    r.appendDouble(b.count);
    r.endRow();
  }
}

function appendDeliveries(a: Appenders, plan: SpanWritePlan): void {
  for (const d of plan.lateDeliveries) {
    const r = a.deliveries;
    r.appendBigInt(BigInt(d.startUs));
    r.appendInteger(d.seriesId);
    r.appendVarchar(d.traceId);
    r.appendVarchar(d.spanId);
    varcharOrNull(r, d.messageId);
    r.appendBigInt(BigInt(d.latencyUs));
    r.endRow();
  }
  for (const p of plan.newPending) {
    const r = a.pending_deliveries;
    r.appendBigInt(BigInt(p.pendingId));
    r.appendBigInt(BigInt(p.receivedUs));
    r.appendVarchar(p.producerTraceId);
    r.appendVarchar(p.producerSpanId);
    r.appendBigInt(BigInt(p.startUs));
    r.appendInteger(p.seriesId);
    r.appendVarchar(p.traceId);
    r.appendVarchar(p.spanId);
    varcharOrNull(r, p.messageId);
    r.endRow();
  }
}
