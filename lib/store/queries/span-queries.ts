import type { DuckDBConnection } from '@duckdb/node-api';
import { textKey, traceKey } from '@/lib/model/keys';
import type { JourneyLookup, JourneySpans, StoredSpan } from '../types';
import { shapeOfRow } from '../span-shapes';
import { ParamBuilder, type Row, num, numOrNull, readRows, strOrNull } from './read-helpers';

/**
 * Reads over raw spans. Id lookups have no time bound, so they filter on the
 * 32-bit lookup keys first, in two steps: a scan of the key column alone
 * finds the row ids (the keys are integers computed here, inlined as a
 * constant list), then only those rows are read, by row id. Reading the rows
 * in the same scan as the key filter costs every column of every row when
 * the filter is a list of keys (measured 0.8 s vs 17 ms on 10M spans). The
 * exact ids are compared on the rows read.
 */

export const SPAN_COLUMNS = `s.trace_id, s.span_id, s.parent_span_id, s.link_trace_id, s.link_span_id, sh.service, sh.name, sh.kind, sh.system,
  sh.operation_type, sh.operation_name, sh.destination, sh.consumer_group, sh.status_code, sh.error_type,
  sh.dead_letter, s.start_us, s.duration_us, s.message_id, s.partition, s.message_offset, s.routing_key,
  s.attributes`;

/** A list of integers as SQL text; only ever built from numbers we computed. */
export const intLiteral = (values: Iterable<number>) =>
  [...new Set(values)].filter(Number.isSafeInteger).join(', ') || 'NULL';

/**
 * A list of hex ids as SQL text. Only ids that are pure hex get in (ingest
 * validates them, so every stored id is), which makes inlining safe; as a
 * constant list DuckDB filters with it directly, where a bound list turns
 * into a semi-join (measured 2.4 ms vs 12 ms on 1M spans).
 */
const hexLiteral = (values: Iterable<string>) =>
  [...new Set(values)]
    .filter((v) => /^[0-9a-f]+$/.test(v))
    .map((v) => `'${v}'`)
    .join(', ') || 'NULL';

const isTraceId = (t: string) => /^[0-9a-f]{32}$/.test(t);

type Link = { traceId: string; spanId: string };

export function spanOf(r: Row, details: Row | undefined, extraLinks: Link[] = []): StoredSpan {
  const first = r.link_trace_id
    ? [{ traceId: r.link_trace_id as string, spanId: r.link_span_id as string }]
    : [];
  return {
    links: [...first, ...extraLinks],
    traceId: r.trace_id as string,
    spanId: r.span_id as string,
    parentSpanId: strOrNull(r.parent_span_id),
    ...shapeOfRow(r),
    statusMessage: strOrNull(details?.status_message),
    startUs: num(r.start_us),
    durationUs: num(r.duration_us),
    messageId: strOrNull(r.message_id),
    conversationId: strOrNull(details?.conversation_id),
    partition: strOrNull(r.partition),
    offset: numOrNull(r.message_offset),
    routingKey: strOrNull(r.routing_key),
    deliveryAttempt: numOrNull(details?.delivery_attempt),
    replayId: strOrNull(details?.replay_id),
    attributes: r.attributes as Uint8Array,
  };
}

/**
 * Rows whose 32-bit key `column` is one of `keys`, optionally only within
 * [sinceUs, untilUs]: rows are appended roughly in time order, so a time
 * bound lets zone maps skip whole row groups.
 */
interface KeyScan {
  column: string;
  keys: readonly number[];
  sinceUs?: number;
  untilUs?: number;
}

/** The scan's condition on a row: its key, within its time bounds. */
function keyCondition(s: KeyScan): string {
  const since = s.sinceUs === undefined ? '' : ` AND start_us >= ${Math.floor(s.sinceUs)}`;
  const until = s.untilUs === undefined ? '' : ` AND start_us <= ${Math.ceil(s.untilUs)}`;
  return `${s.column} IN (${intLiteral(s.keys)})${since}${until}`;
}

/** SQL for the row ids of the rows any of the scans finds: one pass over each key column. */
function keyScans(table: string, scans: readonly KeyScan[]): string | null {
  const parts = scans
    .filter((s) => s.keys.length > 0)
    .map((s) => `SELECT rowid AS row_id FROM ${table} WHERE ${keyCondition(s)}`);
  return parts.length === 0 ? null : parts.join(' UNION ');
}

/** Row ids the scans find, in row order, at most `max`. */
async function rowIdsOf(
  db: DuckDBConnection,
  table: string,
  scans: readonly KeyScan[],
  max = Number.MAX_SAFE_INTEGER,
): Promise<bigint[]> {
  const sql = keyScans(table, scans);
  if (sql === null) return [];
  const rows = await readRows(db, `${sql} ORDER BY row_id LIMIT ${Math.floor(max)}`);
  return rows.map((r) => r.row_id as bigint);
}

/**
 * DuckDB turns a join's keys into a filter on the scan: up to 50 of them
 * (`dynamic_or_filter_threshold`) as a list, so only their row groups are
 * read; past that only their min and max, and every row group in between is
 * read (measured 0.5-0.9 s for 100 rows spread over 10M spans). So row ids are
 * read in groups that are either small or close together.
 */
const ROW_IDS_PER_LIST = 50;
const ROW_GROUP_ROWS = 122_880n;

function rowIdGroups(sorted: readonly bigint[]): bigint[][] {
  const groups: bigint[][] = [];
  for (const id of sorted) {
    const group = groups.at(-1);
    if (group && (group.length < ROW_IDS_PER_LIST || id - group[0]! < ROW_GROUP_ROWS)) group.push(id);
    else groups.push([id]);
  }
  return groups;
}

/** `select` (a query over `table`, ending in WHERE) for these row ids, a UNION ALL of one per group. */
const forRowIds = (select: string, rowid: string, sorted: readonly bigint[]) =>
  rowIdGroups(sorted)
    .map((g) => `${select} ${rowid} IN (SELECT unnest([${g.join(', ')}]::BIGINT[]))`)
    .join(' UNION ALL ');

/**
 * `columns` of these rows (ids from the key scans) that match `where` (the
 * exact ids: other ids share a key), in row order. Nothing is read for no
 * ids: given none, DuckDB would apply `where` to every row of the table.
 */
async function rowsById(
  db: DuckDBConnection,
  table: string,
  ids: readonly bigint[],
  columns: string,
  where: string,
  p?: ParamBuilder,
  limit = Number.MAX_SAFE_INTEGER,
): Promise<Row[]> {
  if (ids.length === 0) return [];
  const select = forRowIds(
    `SELECT rowid AS row_id, ${columns} FROM ${table} WHERE (${where}) AND`,
    'rowid',
    ids,
  );
  return readRows(db, `SELECT * FROM (${select}) ORDER BY row_id LIMIT ${Math.floor(limit)}`, p);
}

async function rowsByKeys(
  db: DuckDBConnection,
  table: string,
  scans: readonly KeyScan[],
  columns: string,
  where: string,
  p?: ParamBuilder,
  limit?: number,
): Promise<Row[]> {
  return rowsById(db, table, await rowIdsOf(db, table, scans), columns, where, p, limit);
}

/** The time range of these rows: detail and link rows carry their span's start. */
const rowsScan = (rows: readonly Row[]): KeyScan => ({
  column: 'trace_key',
  keys: rows.map((r) => traceKey(r.trace_id as string)),
  sinceUs: Math.min(...rows.map((r) => num(r.start_us))),
  untilUs: Math.max(...rows.map((r) => num(r.start_us))),
});
const idPairs = (rows: readonly Row[]) =>
  hexLiteral(rows.map((r) => `${r.trace_id as string}${r.span_id as string}`));

/**
 * Detail and further-link rows of spans that all started within this long are
 * read straight from the key scan: for a stretch this short it touches one or
 * two row groups (measured 2.8 ms at 10M spans, against 1.8 + 4.9 ms for row
 * ids first, then rows). For longer stretches row ids come first (an hour:
 * 17.8 ms straight, 3.3 + 4.9 ms in two steps).
 */
const STRAIGHT_READ_MAX_US = 60e6;

/** The detail rows of `rows` and the further-link rows of `withLinks` (a subset), links in row order. */
async function detailAndLinkRows(
  db: DuckDBConnection,
  rows: readonly Row[],
  withLinks: readonly Row[],
): Promise<{ details: Row[]; more: Row[] }> {
  const scan = rowsScan(rows);
  const tables: [string, readonly Row[]][] = [['span_details', rows]];
  if (withLinks.length > 0) tables.push(['span_links', withLinks]);
  const exactIds = (spans: readonly Row[]) => `trace_id || span_id IN (${idPairs(spans)})`;
  const inTable = (found: Row[], table: string) => found.filter((f) => f.found_in === table);
  if (scan.untilUs! - scan.sinceUs! <= STRAIGHT_READ_MAX_US) {
    const found = await readRows(
      db,
      tables
        .map(
          ([table, spans]) => `SELECT '${table}' AS found_in, rowid AS row_id, * FROM ${table}
            WHERE ${keyCondition(scan)} AND ${exactIds(spans)}`,
        )
        .join(' UNION ALL BY NAME ') + ' ORDER BY row_id',
    );
    return { details: inTable(found, 'span_details'), more: inTable(found, 'span_links') };
  }
  // Both key scans in one statement: most spans have neither, and then that is all it takes.
  const found = await readRows(
    db,
    tables
      .map(([table]) => `SELECT '${table}' AS found_in, row_id FROM (${keyScans(table, [scan])!})`)
      .join(' UNION ALL ') + ' ORDER BY row_id',
  );
  const ids = (table: string) => inTable(found, table).map((f) => f.row_id as bigint);
  return {
    details: await rowsById(db, 'span_details', ids('span_details'), '*', exactIds(rows)),
    more: await rowsById(db, 'span_links', ids('span_links'), '*', exactIds(withLinks)),
  };
}

/** Spans from main rows: their detail rows and further links (beyond the one on the row) merged in. */
async function withDetails(db: DuckDBConnection, rows: readonly Row[]): Promise<StoredSpan[]> {
  if (rows.length === 0) return [];
  const { details, more } = await detailAndLinkRows(
    db,
    rows,
    rows.filter((r) => r.link_trace_id),
  );
  const byId = new Map(details.map((d) => [`${d.trace_id as string}${d.span_id as string}`, d]));
  const extras = new Map<string, Link[]>();
  for (const l of more) {
    const k = `${l.trace_id as string}${l.span_id as string}`;
    extras.set(k, [
      ...(extras.get(k) ?? []),
      { traceId: l.linked_trace_id as string, spanId: l.linked_span_id as string },
    ]);
  }
  return rows.map((r) => {
    const k = `${r.trace_id as string}${r.span_id as string}`;
    return spanOf(r, byId.get(k), extras.get(k));
  });
}

/**
 * Messaging spans the key scans find, in parts: each part is an exact
 * condition on the row (`s.`) and gets at most `limit` spans, the earliest.
 * One read for all parts: a span can be in several.
 */
async function spansByKeys(
  db: DuckDBConnection,
  scans: readonly KeyScan[],
  parts: readonly string[],
  limit: number,
  p?: ParamBuilder,
): Promise<StoredSpan[][]> {
  const n = Math.floor(limit);
  const ids = await rowIdsOf(db, 'messaging_spans', scans, n + 1);
  if (ids.length === 0) return parts.map(() => []);
  const flags = parts.map((where, i) => `coalesce(${where}, false) AS part_${i}`);
  const select = `SELECT ${SPAN_COLUMNS}, s.rowid AS row_id, ${flags.join(', ')}
    FROM messaging_spans s JOIN span_shapes sh USING (shape_id) WHERE`;
  const inPart = parts.map((_, i) => `part_${i}`);
  // More rows than a part may have (a huge trace): each part's earliest picked in SQL, not all read.
  const earliest = inPart.map(
    (f) => `(${f} AND row_number() OVER (PARTITION BY ${f} ORDER BY start_us, row_id) <= ${n})`,
  );
  const rows = await readRows(
    db,
    ids.length <= n
      ? forRowIds(select, 's.rowid', ids)
      : `SELECT * FROM (${select} s.rowid IN (${keyScans('messaging_spans', scans)}))
          WHERE ${inPart.join(' OR ')} QUALIFY ${earliest.join(' OR ')}`,
    p,
  );
  const byStart = rows.filter((r) => inPart.some((f) => r[f] === true));
  // Ties in start time (millisecond clocks) in row order, so a journey reads the same every time.
  byStart.sort(
    (a, b) => num(a.start_us) - num(b.start_us) || Number((a.row_id as bigint) - (b.row_id as bigint)),
  );
  const spans = await withDetails(db, byStart);
  return inPart.map((f) => spans.filter((_, j) => byStart[j]![f] === true).slice(0, n));
}

const startingFrom = (sinceUs?: number) =>
  sinceUs === undefined ? '' : ` AND s.start_us >= ${Math.floor(sinceUs)}`;

export async function findSpans(
  db: DuckDBConnection,
  ids: { traceIds?: string[]; messageIds?: string[]; conversationIds?: string[] },
  limit: number,
): Promise<StoredSpan[]> {
  const traceIds = (ids.traceIds ?? []).filter(isTraceId);
  const messageIds = ids.messageIds ?? [];
  const conversationIds = ids.conversationIds ?? [];
  const found: StoredSpan[] = [];
  if (traceIds.length > 0) {
    const [spans] = await spansByKeys(
      db,
      [{ column: 'trace_key', keys: traceIds.map(traceKey) }],
      [`s.trace_id IN (${hexLiteral(traceIds)})`],
      limit,
    );
    found.push(...spans!);
  }
  if (messageIds.length > 0) {
    const [spans] = await spansByKeys(
      db,
      [{ column: 'message_key', keys: messageIds.map((m) => textKey(m)!) }],
      ['list_contains($ids, s.message_id)'],
      limit,
      new ParamBuilder().texts('ids', messageIds),
    );
    found.push(...spans!);
  }
  if (conversationIds.length > 0) {
    // Conversation ids live in span_details: find the spans there, then load them.
    const hits = await rowsByKeys(
      db,
      'span_details',
      [{ column: 'conversation_key', keys: conversationIds.map((c) => textKey(c)!) }],
      'trace_id, span_id, start_us',
      'list_contains($ids, conversation_id)',
      new ParamBuilder().texts('ids', conversationIds),
      limit,
    );
    if (hits.length > 0) {
      const [spans] = await spansByKeys(
        db,
        [rowsScan(hits)],
        [`s.trace_id || s.span_id IN (${idPairs(hits)})`],
        limit,
      );
      found.push(...spans!.filter((s) => conversationIds.includes(s.conversationId ?? '')));
    }
  }
  const unique = new Map(found.map((s) => [s.traceId + s.spanId, s]));
  return [...unique.values()].sort((a, b) => a.startUs - b.startUs).slice(0, limit);
}

/**
 * One round of a journey in one pass over each key column: the spans of
 * `lookup.traces` and the spans (of any trace) linking into
 * `lookup.linkedTraces`, by their first link (on the row) or a further one
 * (span_links, looked up first so that its spans are read in the same pass).
 */
export async function journeySpans(
  db: DuckDBConnection,
  lookup: JourneyLookup,
  limit: number,
): Promise<JourneySpans> {
  const traces = lookup.traces.filter((t) => isTraceId(t.traceId));
  const linked = lookup.linkedTraces.filter(isTraceId);
  const linkedSince = lookup.linkedSinceUs;
  const further =
    linked.length === 0
      ? []
      : await rowsByKeys(
          db,
          'span_links',
          [{ column: 'linked_trace_key', keys: linked.map(traceKey), sinceUs: linkedSince }],
          'trace_id, span_id',
          `linked_trace_id IN (${hexLiteral(linked)})`,
        );
  // One pass over trace_key for both: bounded only if every part is.
  const bounds = [...traces.map((t) => t.sinceUs), ...(further.length > 0 ? [linkedSince] : [])];
  const traceScan: KeyScan = {
    column: 'trace_key',
    keys: [...traces.map((t) => traceKey(t.traceId)), ...further.map((r) => traceKey(r.trace_id as string))],
    sinceUs: bounds.some((b) => b === undefined) ? undefined : Math.min(...(bounds as number[])),
  };
  const linkScan: KeyScan = { column: 'link_trace_key', keys: linked.map(traceKey), sinceUs: linkedSince };
  const own = traces.map((t) => `(s.trace_id = '${t.traceId}'${startingFrom(t.sinceUs)})`).join(' OR ');
  const firstOrFurther = `s.link_trace_id IN (${hexLiteral(linked)}) OR s.trace_id || s.span_id IN (${idPairs(further)})`;
  const linking = `(${firstOrFurther})${startingFrom(linkedSince)}`;
  const [ownSpans, linkingSpans] = await spansByKeys(
    db,
    [traceScan, linkScan],
    [own || 'false', linked.length > 0 ? linking : 'false'],
    limit,
  );
  return { own: ownSpans!, linking: linkingSpans! };
}

/** `FROM <table>` restricted, through row ids, to rows whose `keyColumn` is one of `keys`. */
const byKeys = (table: string, keyColumn: string, keys: string) =>
  `(SELECT * FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${keyColumn} IN (${keys})))`;

/** Start times of producer spans by trace + span id (the delivery join's store fallback). */
export async function lookupSends(
  db: DuckDBConnection,
  producers: readonly { traceId: string; spanId: string }[],
): Promise<Map<string, number>> {
  const wanted = new Set(producers.map((p) => p.traceId + p.spanId));
  const found = new Map<string, number>();
  // Bounded: a huge miss list goes to pending instead of scanning with thousands of keys.
  const keys = intLiteral(producers.slice(0, 5000).map((p) => traceKey(p.traceId)));
  const rows = await readRows(
    db,
    `SELECT s.trace_id, s.span_id, s.start_us FROM ${byKeys('messaging_spans', 'trace_key', keys)} s
       JOIN span_shapes sh USING (shape_id) WHERE sh.operation_type IN ('send', 'create')`,
  );
  for (const r of rows) {
    const k = (r.trace_id as string) + (r.span_id as string);
    if (wanted.has(k)) found.set(k, num(r.start_us));
  }
  return found;
}
