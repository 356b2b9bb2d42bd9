import type { DuckDBConnection } from '@duckdb/node-api';
import { decodeStoredAttributes } from '@/lib/otlp/stored-attributes';
import type { ProcessRow, TimeWindow, TraceRouteRow } from '../types';
import { ParamBuilder, num, numOrNull, readRows, strOrNull } from './read-helpers';

/** Reads over the raw spans of a time window (anomalies, end-to-end latency without pathway data). */

export async function processSpans(
  db: DuckDBConnection,
  window: TimeWindow,
  limit: number,
): Promise<ProcessRow[]> {
  const p = new ParamBuilder().window(window).int('limit', limit);
  const rows = await readRows(
    db,
    `SELECT s.trace_id, s.span_id, sh.service, sh.consumer_group, sh.system, sh.destination, s.start_us,
            s.message_id, s.partition, s.message_offset, s.routing_key, x.delivery_attempt,
            sh.status_code = 2 OR dl.span_id IS NOT NULL AS failed,
            coalesce(sh.error_type, dl.error_type) AS error_type, x.status_message, s.duration_us,
            s.start_us - coalesce(s.latency_us, d.latency_us) AS sent_us
       FROM messaging_spans s JOIN span_shapes sh USING (shape_id)
       -- A handler that catches its error and dead-letters the message ends its process span OK;
       -- the dead-letter span under it (few: only failures) says it failed, and why.
       LEFT JOIN (SELECT m.trace_id, m.parent_span_id AS span_id, any_value(dsh.error_type) AS error_type
                    FROM messaging_spans m JOIN span_shapes dsh USING (shape_id)
                   WHERE dsh.dead_letter AND dsh.operation_type = 'settle'
                     AND m.start_us >= $from AND m.start_us < $to
                   GROUP BY m.trace_id, m.parent_span_id) dl
              ON dl.trace_id = s.trace_id AND dl.span_id = s.span_id
       LEFT JOIN (SELECT * FROM deliveries WHERE start_us >= $from AND start_us < $to) d
              ON d.trace_id = s.trace_id AND d.span_id = s.span_id
       LEFT JOIN (SELECT * FROM span_details WHERE start_us >= $from AND start_us < $to) x
              ON x.trace_id = s.trace_id AND x.span_id = s.span_id
      WHERE s.shape_id IN (SELECT shape_id FROM span_shapes WHERE operation_type = 'process' AND destination IS NOT NULL)
        AND s.start_us >= $from AND s.start_us < $to
      ORDER BY s.start_us DESC LIMIT $limit`,
    p,
  );
  return rows.map((r) => ({
    traceId: r.trace_id as string,
    spanId: r.span_id as string,
    service: r.service as string,
    consumerGroup: strOrNull(r.consumer_group),
    system: r.system as string,
    destination: r.destination as string,
    startUs: num(r.start_us),
    messageId: strOrNull(r.message_id),
    partition: strOrNull(r.partition),
    offset: numOrNull(r.message_offset),
    routingKey: strOrNull(r.routing_key),
    deliveryAttempt: numOrNull(r.delivery_attempt),
    sentUs: numOrNull(r.sent_us),
    failed: r.failed === true,
    errorType: strOrNull(r.error_type),
    statusMessage: strOrNull(r.status_message),
    durationUs: num(r.duration_us),
  }));
}

/**
 * Per trace: its sends in order (the route), its last consumer and the time
 * from the first send to the last process start. Parent-child traces (most
 * other SDKs' default) carry a whole multi-hop journey in one trace.
 */
export async function traceRoutes(
  db: DuckDBConnection,
  window: TimeWindow,
  limit: number,
): Promise<TraceRouteRow[]> {
  const p = new ParamBuilder().window(window).int('limit', limit);
  const rows = await readRows(
    db,
    `WITH s AS (
       SELECT s.trace_id, s.start_us, sh.service, sh.system, sh.destination, sh.operation_type AS op
         FROM messaging_spans s JOIN span_shapes sh USING (shape_id)
        WHERE s.start_us >= $from AND s.start_us < $to AND sh.destination IS NOT NULL
          AND sh.operation_type IN ('send', 'process')
     ), t AS (
       SELECT trace_id,
              list({'service': service, 'system': system, 'destination': destination} ORDER BY start_us)
                FILTER (WHERE op = 'send') AS route,
              min(start_us) FILTER (WHERE op = 'send') AS first_send,
              max(start_us) FILTER (WHERE op = 'process') AS last_process,
              arg_max(service, start_us) FILTER (WHERE op = 'process') AS consumer
         FROM s GROUP BY trace_id
     )
     SELECT route, consumer, last_process - first_send AS e2e_us, last_process AS end_us FROM t
      WHERE first_send IS NOT NULL AND last_process >= first_send
      LIMIT $limit`,
    p,
  );
  return rows.map((r) => ({
    route: r.route as TraceRouteRow['route'],
    consumer: r.consumer as string,
    e2eUs: num(r.e2e_us),
    endUs: num(r.end_us),
  }));
}

/**
 * Where Signalbox's dead-letter helpers wrote in the window: the `signalbox.dlq.destination` of the
 * newest `limit` dead-letter spans (read from their stored attributes), distinct per system.
 */
export async function deadLetterTargets(
  db: DuckDBConnection,
  window: TimeWindow,
  limit: number,
): Promise<{ system: string; name: string }[]> {
  const p = new ParamBuilder().window(window).int('limit', limit);
  const rows = await readRows(
    db,
    `SELECT sh.system, s.attributes FROM messaging_spans s JOIN span_shapes sh USING (shape_id)
      WHERE s.shape_id IN (SELECT shape_id FROM span_shapes WHERE dead_letter)
        AND s.start_us >= $from AND s.start_us < $to
      ORDER BY s.start_us DESC LIMIT $limit`,
    p,
  );
  const found = new Map<string, { system: string; name: string }>();
  for (const r of rows) {
    const target = decodeStoredAttributes(r.attributes as Uint8Array)['signalbox.dlq.destination'];
    if (typeof target !== 'string' || target === '') continue;
    const system = r.system as string;
    found.set(`${system}\u0000${target}`, { system, name: target });
  }
  return [...found.values()];
}
