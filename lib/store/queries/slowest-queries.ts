import type { DuckDBConnection } from '@duckdb/node-api';
import type { DeliveryRow, StoredSpan, TimeWindow } from '../types';
import { ParamBuilder, num, numOrNull, readRows, strOrNull } from './read-helpers';
import { SPAN_COLUMNS, intLiteral, spanOf } from './span-queries';

/** "Slowest messages" of an edge, for its detail view: deliveries by latency, sends by duration. */

/** The consumer span shapes behind delivery series: process spans, or receive spans for a `receive` series. */
async function consumerShapes(db: DuckDBConnection, seriesIds: readonly number[]): Promise<number[]> {
  const rows = await readRows(
    db,
    `SELECT sh.shape_id FROM span_shapes sh JOIN series se
        ON se.service = sh.service AND se.system = sh.system AND se.destination = sh.destination
       AND se.consumer_group IS NOT DISTINCT FROM sh.consumer_group
      WHERE se.series_id IN (${intLiteral(seriesIds)})
        AND sh.operation_type = CASE se.kind WHEN 'receive' THEN 'receive' ELSE 'process' END`,
  );
  return rows.map((r) => num(r.shape_id));
}

export async function slowestDeliveries(
  db: DuckDBConnection,
  window: TimeWindow,
  seriesIds: readonly number[],
  limit: number,
): Promise<DeliveryRow[]> {
  if (seriesIds.length === 0) return [];
  const shapes = await consumerShapes(db, seriesIds);
  const p = new ParamBuilder().window(window).int('limit', limit);
  const rows = await readRows(
    db,
    `SELECT * FROM (
       SELECT NULL::INTEGER AS series_id, trace_id, span_id, message_id, start_us, latency_us FROM messaging_spans
        WHERE shape_id IN (${intLiteral(shapes)}) AND latency_us IS NOT NULL AND start_us >= $from AND start_us < $to
       UNION ALL
       SELECT series_id, trace_id, span_id, message_id, start_us, latency_us FROM deliveries
        WHERE series_id IN (${intLiteral(seriesIds)}) AND start_us >= $from AND start_us < $to
     ) ORDER BY latency_us DESC LIMIT $limit`,
    p,
  );
  return rows.map((r) => ({
    seriesId: numOrNull(r.series_id) ?? seriesIds[0]!,
    traceId: r.trace_id as string,
    spanId: r.span_id as string,
    messageId: strOrNull(r.message_id),
    startUs: num(r.start_us),
    latencyUs: num(r.latency_us),
  }));
}

export async function slowestSends(
  db: DuckDBConnection,
  window: TimeWindow,
  edge: { service: string; system: string; destination: string },
  limit: number,
): Promise<StoredSpan[]> {
  const shapes = await readRows(
    db,
    `SELECT shape_id FROM span_shapes WHERE operation_type = 'send' AND service = $service
        AND system = $system AND destination = $destination`,
    new ParamBuilder()
      .text('service', edge.service)
      .text('system', edge.system)
      .text('destination', edge.destination),
  );
  if (shapes.length === 0) return [];
  const where = `s.shape_id IN (${intLiteral(shapes.map((r) => num(r.shape_id)))}) AND s.start_us >= $from AND s.start_us < $to`;
  const p = new ParamBuilder().window(window).int('limit', limit);
  const rows = await readRows(
    db,
    `SELECT ${SPAN_COLUMNS} FROM messaging_spans s JOIN span_shapes sh USING (shape_id)
      WHERE ${where} ORDER BY s.duration_us DESC LIMIT $limit`,
    p,
  );
  return rows.map((r) => spanOf(r, undefined));
}
