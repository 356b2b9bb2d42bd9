import fs from 'node:fs';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore } from '@/lib/store/duckdb-store';

/**
 * Writes N stored spans straight into a DuckDB file with SQL (range()),
 * in exactly the shape ingest writes them: raw spans, links, shapes, and the
 * rollups ingest maintains (series, per-minute totals, latency buckets on the
 * same exponential grid, pathways). Each message crosses two hops
 * (producer → Kafka topic → relay → RabbitMQ queue → consumer): four spans
 * (send, process, send, process), each process span linking to its send
 * (the first link is on the span's row, as ingest stores it),
 * and the Signalbox pathway attributes. The RabbitMQ hop's spans carry a
 * conversation id (detail rows), and every 10th of its consumer batches
 * links to two sends (a further-link row). Messages are spread evenly over the
 * 24 hours before `nowMs`, over 10 routes. Rollup rows are written in time
 * order, as ingest appends them (the store's range filters rely on it).
 *
 *   node lib/store/testing/run-ts.mjs bench/queries/generate.ts <file> <spans>
 */
const ROUTES = 10;
const DAY_US = 86_400_000_000;

// Signed 32-bit lookup keys exactly as lib/model/keys.ts computes them:
// the first 8 hex digits of a trace id, and FNV-1a over a message id.
const traceKey = (hex: string) =>
  `((('0x' || substr(${hex}, 1, 8))::BIGINT + 2147483648) % 4294967296 - 2147483648)::INTEGER`;

const textKey = (text: string) =>
  `(((list_reduce(list_transform(string_split(${text}, ''), x -> unicode(x)::BIGINT), (h, ch) -> (xor(h, ch) * 16777619) % 4294967296, 2166136261::BIGINT)) + 2147483648) % 4294967296 - 2147483648)::INTEGER`;

async function exec(db: DuckDBConnection, label: string, sql: string) {
  const t0 = Date.now();
  await db.run(sql);
  console.log(`  ${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

export async function main(file: string, spansArg: string, nowArg = String(Date.now())): Promise<void> {
  const messages = Math.floor(Number(spansArg) / 4);
  const nowUs = Number(nowArg) * 1000;
  const startUs = nowUs - DAY_US;
  const stepUs = DAY_US / messages;
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.wal`, { force: true });
  // The store creates the schema exactly as the dashboard does.
  await (
    await DuckDbStore.open(file, {
      queueMaxRows: 1000,
      memoryLimit: '4GB',
      retentionHours: 1e6,
      retentionMaxBytes: 0,
      maintenanceIntervalMs: 0,
    })
  ).close();

  const instance = await DuckDBInstance.create(file, { memory_limit: '6GB' });
  const db = await instance.connect();
  await db.run('SELECT setseed(0.42)');
  console.log(`generating ${messages * 4} spans (${messages} messages × 4 spans) over 24 h`);

  // Shapes: per route, hop h (0/1): send (id r*10+h*2+1), process (r*10+h*2+2); failed process = +100.
  await exec(
    db,
    'shapes',
    `INSERT INTO span_shapes
     SELECT r * 10 + h * 2 + 1 + f * 100, CASE WHEN h = 0 THEN 'producer-' || r ELSE 'relay-' || r END,
            'send ' || CASE WHEN h = 0 THEN 'orders-' || r ELSE 'payments-' || r END, 4,
            CASE WHEN h = 0 THEN 'kafka' ELSE 'rabbitmq' END, 'send', 'send',
            CASE WHEN h = 0 THEN 'orders-' || r ELSE 'payments-' || r END, NULL, 0, NULL, false
       FROM range(${ROUTES}) a(r), range(2) b(h), range(1) c(f)
     UNION ALL
     SELECT r * 10 + h * 2 + 2 + f * 100, CASE WHEN h = 0 THEN 'relay-' || r ELSE 'consumer-' || r END,
            'process ' || CASE WHEN h = 0 THEN 'orders-' || r ELSE 'payments-' || r END, 5,
            CASE WHEN h = 0 THEN 'kafka' ELSE 'rabbitmq' END, 'process', 'process',
            CASE WHEN h = 0 THEN 'orders-' || r ELSE 'payments-' || r END,
            CASE WHEN h = 0 THEN 'relay-' || r ELSE NULL END, CASE WHEN f = 1 THEN 2 ELSE 0 END,
            CASE WHEN f = 1 THEN 'TimeoutError' ELSE NULL END, false
       FROM range(${ROUTES}) a(r), range(2) b(h), range(2) c(f)`,
  );

  // One row per message with its times (µs) and ids; spans are derived from it.
  await exec(
    db,
    'messages',
    `CREATE TEMP TABLE m AS
     SELECT i, i % ${ROUTES} AS r,
            (${startUs} + i * ${stepUs})::BIGINT AS sent1,
            greatest(200, (3000 * exp(0.6 * sqrt(-2 * ln(random() + 1e-12)) * cos(2 * pi() * random())))::BIGINT) AS lat1,
            (1500 + random() * 3000)::BIGINT AS proc1,
            greatest(200, (8000 * exp(0.8 * sqrt(-2 * ln(random() + 1e-12)) * cos(2 * pi() * random())))::BIGINT) AS lat2,
            (1000 + random() * 2000)::BIGINT AS proc2,
            random() < 0.01 AS failed,
            md5(i::VARCHAR) AS t1, md5(i::VARCHAR || 'b') AS t2, md5(i::VARCHAR || 'c') AS t3,
            substr(md5(i::VARCHAR || 's1'), 1, 16) AS s1, substr(md5(i::VARCHAR || 'p1'), 1, 16) AS p1,
            substr(md5(i::VARCHAR || 's2'), 1, 16) AS s2, substr(md5(i::VARCHAR || 'p2'), 1, 16) AS p2
       FROM range(${messages}) t(i)`,
  );

  const attrs = (system: string, dest: string, extra: string) =>
    `('{"messaging.system":"${system}","messaging.destination.name":"' || ${dest} || '","messaging.operation.type":' || ${extra} || ',"server.address":"broker-1.internal","messaging.message.body.size":' || (300 + i % 500) || '}')::BLOB`;
  await exec(
    db,
    'messaging_spans',
    `INSERT INTO messaging_spans
     SELECT ${traceKey('t1')}, t1, s1, NULL, NULL, NULL, NULL, r * 10 + 1, sent1, 900, NULL, NULL, (i % 6)::VARCHAR, i, 'customer-' || (i % 5000), NULL,
            ${attrs('kafka', "'orders-' || r", `'"send"'`)} FROM m
     UNION ALL
     SELECT ${traceKey('t2')}, t2, p1, NULL, ${traceKey('t1')}, t1, s1, r * 10 + 2, sent1 + lat1, proc1, NULL, NULL, (i % 6)::VARCHAR, i, 'customer-' || (i % 5000), lat1,
            ${attrs('kafka', "'orders-' || r", `'"process"'`)} FROM m
     UNION ALL
     SELECT ${traceKey('t2')}, t2, s2, p1, NULL, NULL, NULL, r * 10 + 3, sent1 + lat1 + proc1 // 2, 700, ${textKey("'msg-' || i")}, 'msg-' || i, NULL, NULL, NULL, NULL,
            ${attrs('rabbitmq', "'payments-' || r", `'"send"'`)} FROM m
     UNION ALL
     SELECT ${traceKey('t3')}, t3, p2, NULL, ${traceKey('t2')}, t2, s2, r * 10 + 4 + CASE WHEN failed THEN 100 ELSE 0 END,
            sent1 + lat1 + proc1 // 2 + lat2, proc2, ${textKey("'msg-' || i")}, 'msg-' || i, NULL, NULL, NULL, lat2,
            ${attrs('rabbitmq', "'payments-' || r", `'"process"'`)} FROM m`,
  );
  // span_details: the RabbitMQ hop carries a conversation (correlation) id, three messages per
  // conversation, on its send and process spans; failed process spans have a status message. That is
  // a detail row for half the spans, the most a store is likely to hold.
  await exec(
    db,
    'span_details',
    `INSERT INTO span_details
     SELECT ${traceKey('t2')}, t2, s2, sent1 + lat1 + proc1 // 2, ${textKey("'order-' || (i // 3)")}, 'order-' || (i // 3),
            NULL, NULL, NULL FROM m
     UNION ALL
     SELECT ${traceKey('t3')}, t3, p2, sent1 + lat1 + proc1 // 2 + lat2, ${textKey("'order-' || (i // 3)")}, 'order-' || (i // 3),
            CASE WHEN failed THEN 1 ELSE NULL END, NULL, CASE WHEN failed THEN 'timed out after 30 s' ELSE NULL END FROM m`,
  );
  // span_links: every 10th consumer batch takes two messages, so its process span also links to the
  // previous message's RabbitMQ send (the first link stays on the span's row, as ingest stores it).
  await exec(
    db,
    'span_links',
    `INSERT INTO span_links
     SELECT ${traceKey('t3')}, t3, p2, ${traceKey("md5((i - 1)::VARCHAR || 'b')")}, md5((i - 1)::VARCHAR || 'b'),
            substr(md5((i - 1)::VARCHAR || 's2'), 1, 16), sent1 + lat1 + proc1 // 2 + lat2
       FROM m WHERE i % 10 = 0 AND i > 0`,
  );
  await rollups(db);
  await db.run('CHECKPOINT');
  const [row] = (
    await db.runAndReadAll('SELECT count(*)::BIGINT AS n FROM messaging_spans')
  ).getRowObjectsJS();
  db.closeSync();
  instance.closeSync();
  // The hour rollups are built by the store's own maintenance, as on a running dashboard.
  const t0 = Date.now();
  const store = await DuckDbStore.open(file, {
    queueMaxRows: 1000,
    memoryLimit: '4GB',
    retentionHours: 1e6,
    retentionMaxBytes: 0,
    maintenanceIntervalMs: 0,
  });
  await store.maintain(nowUs);
  await store.close();
  console.log(`  hour rollups (store maintenance): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`done: ${Number(row!.n)} spans, file ${(fs.statSync(file).size / 2 ** 30).toFixed(2)} GiB`);
}

/** The rollups ingest would have written for these spans (spans source), per minute. */
async function rollups(db: DuckDBConnection) {
  const hash1 = `lpad(printf('%x', 40960 + r), 16, '0')`;
  const hash2 = `lpad(printf('%x', 81920 + r), 16, '0')`;
  await exec(
    db,
    'series',
    `INSERT INTO series
     SELECT r * 10 + 1, 'publish', 'spans', 'producer-' || r, 'kafka', 'orders-' || r, NULL, NULL, NULL FROM range(${ROUTES}) t(r)
     UNION ALL SELECT r * 10 + 2, 'delivery', 'spans', 'relay-' || r, 'kafka', 'orders-' || r, 'relay-' || r, NULL, NULL FROM range(${ROUTES}) t(r)
     UNION ALL SELECT r * 10 + 3, 'publish', 'spans', 'relay-' || r, 'rabbitmq', 'payments-' || r, NULL, NULL, NULL FROM range(${ROUTES}) t(r)
     UNION ALL SELECT r * 10 + 4, 'delivery', 'spans', 'consumer-' || r, 'rabbitmq', 'payments-' || r, NULL, NULL, NULL FROM range(${ROUTES}) t(r)
     UNION ALL SELECT r * 10 + 5, 'process', 'spans', 'relay-' || r, 'kafka', 'orders-' || r, 'relay-' || r, NULL, NULL FROM range(${ROUTES}) t(r)
     UNION ALL SELECT r * 10 + 6, 'process', 'spans', 'consumer-' || r, 'rabbitmq', 'payments-' || r, NULL, NULL, NULL FROM range(${ROUTES}) t(r)
     UNION ALL SELECT r * 10 + 7, 'pathway', 'spans', 'relay-' || r, 'kafka', 'orders-' || r, 'relay-' || r, ${hash1}, NULL FROM range(${ROUTES}) t(r)
     UNION ALL SELECT r * 10 + 8, 'pathway', 'spans', 'consumer-' || r, 'rabbitmq', 'payments-' || r, NULL, ${hash2}, NULL FROM range(${ROUTES}) t(r)`,
  );
  await exec(
    db,
    'pathways',
    `INSERT INTO pathways
     SELECT ${hash1}, '', 'producer-' || r, 'kafka', 'orders-' || r, 1, ${Date.now() * 1000} FROM range(${ROUTES}) t(r)
     UNION ALL SELECT ${hash2}, ${hash1}, 'relay-' || r, 'rabbitmq', 'payments-' || r, 2, ${Date.now() * 1000} FROM range(${ROUTES}) t(r)`,
  );
  // Observations: (series, time, latency seconds or NULL, messages, errors).
  await exec(
    db,
    'observations',
    `CREATE TEMP TABLE o AS
     SELECT r * 10 + 1 AS s, sent1::BIGINT AS t, 0.0009 AS v, 1 AS n, 0 AS e FROM m
     UNION ALL SELECT r * 10 + 2, sent1 + lat1, lat1 / 1e6, 1, 0 FROM m
     UNION ALL SELECT r * 10 + 3, sent1 + lat1 + proc1 // 2, 0.0007, 1, 0 FROM m
     UNION ALL SELECT r * 10 + 4, sent1 + lat1 + proc1 // 2 + lat2, lat2 / 1e6, 1, failed::INTEGER FROM m
     UNION ALL SELECT r * 10 + 5, sent1 + lat1, proc1 / 1e6, 0, 0 FROM m
     UNION ALL SELECT r * 10 + 6, sent1 + lat1 + proc1 // 2 + lat2, proc2 / 1e6, 0, 0 FROM m
     UNION ALL SELECT r * 10 + 7, sent1 + lat1, lat1 / 1e6, 0, 0 FROM m
     UNION ALL SELECT r * 10 + 8, sent1 + lat1 + proc1 // 2 + lat2, (lat1 + proc1 // 2 + lat2) / 1e6, 0, 0 FROM m`,
  );
  await exec(
    db,
    'series_minute',
    `INSERT INTO series_minute
     SELECT t // 60000000 * 60000000 AS minute, s, sum(n), sum(e), count(v), sum(v), min(v), max(v) FROM o
      GROUP BY ALL ORDER BY minute`,
  );
  // The exponential grid of lib/model/histogram.ts: bucket (2^(i/8), 2^((i+1)/8)].
  await exec(
    db,
    'series_buckets',
    `INSERT INTO series_buckets
     SELECT t // 60000000 * 60000000 AS minute, s, pow(2, idx / 8), pow(2, (idx + 1) / 8), count(*)
       FROM (SELECT t, s, ceil(log2(v) * 8) - 1 AS idx FROM o) GROUP BY ALL ORDER BY minute`,
  );
}
