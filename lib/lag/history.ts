import type { DuckDBConnection } from '@duckdb/node-api';
import type { GroupKey, GroupSeriesPoint, LagSample } from './types';

/** `system|destination|group`: how series are keyed in maps. */
export const groupKeyId = (key: GroupKey) => `${key.system}|${key.destination}|${key.group}`;

/** A group's points over time, with the group they belong to. */
export interface GroupSeries {
  key: GroupKey;
  points: GroupSeriesPoint[];
}

export interface SeriesQuery {
  sinceMs: number;
  untilMs: number;
  /** Bucket width: each point is the worst (highest) lag within its bucket, stamped with its last poll. */
  stepMs: number;
  /** One group only; all groups when absent. */
  key?: GroupKey;
}

/**
 * Lag samples over time: written by the poller each poll, read for status windows, sparklines and
 * charts, pruned to the retention. Narrow on purpose so another engine can implement it.
 */
export interface LagHistory {
  append(samples: readonly LagSample[]): Promise<void>;
  /** Raw partition samples with sinceMs ≤ tsMs < untilMs, in time order. */
  samples(query: { sinceMs: number; untilMs: number; key?: GroupKey }): Promise<LagSample[]>;
  /** Group series (partitions summed per poll, then bucketed), keyed by groupKeyId. */
  groupSeries(query: SeriesQuery): Promise<Map<string, GroupSeries>>;
  /** One group's series per partition, keyed by partition. */
  partitionSeries(query: SeriesQuery & { key: GroupKey }): Promise<Map<string, GroupSeriesPoint[]>>;
  /** Deletes samples older than `beforeMs`; returns how many. */
  prune(beforeMs: number): Promise<number>;
}

const TABLE = `CREATE TABLE IF NOT EXISTS lag_samples (
  ts_ms BIGINT NOT NULL,
  system VARCHAR NOT NULL,
  destination VARCHAR NOT NULL,
  consumer_group VARCHAR NOT NULL,
  partition VARCHAR NOT NULL,
  lag_messages BIGINT NOT NULL,
  lag_seconds DOUBLE,
  position BIGINT,
  end_position BIGINT,
  consumers INTEGER
)`;

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * Lag history in DuckDB, on a connection the caller owns (one DuckDB instance per process: the
 * dashboard passes a connection of its instance; tests open their own file). Give it a connection of
 * its own, not one another writer runs transactions on, since appends here are not in a transaction
 * of theirs. Writes are serialized on the connection.
 */
export class DuckDbLagHistory implements LagHistory {
  private writeChain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly connection: DuckDBConnection) {}

  /** Creates the table if needed and returns the history on `connection`. */
  static async create(connection: DuckDBConnection): Promise<DuckDbLagHistory> {
    await connection.run(TABLE);
    return new DuckDbLagHistory(connection);
  }

  append(samples: readonly LagSample[]): Promise<void> {
    const next = this.writeChain.then(() => this.write(samples));
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  private async write(samples: readonly LagSample[]): Promise<void> {
    if (samples.length === 0) return;
    const appender = await this.connection.createAppender('lag_samples');
    const nullable = (value: number | null, append: (v: number) => void) =>
      value === null || !Number.isFinite(value) ? appender.appendNull() : append(value);
    for (const s of samples) {
      appender.appendBigInt(BigInt(Math.round(s.tsMs)));
      appender.appendVarchar(s.system);
      appender.appendVarchar(s.destination);
      appender.appendVarchar(s.group);
      appender.appendVarchar(s.partition);
      appender.appendBigInt(BigInt(Math.max(0, Math.round(s.lagMessages))));
      nullable(s.lagSeconds, (v) => appender.appendDouble(v));
      nullable(s.position, (v) => appender.appendBigInt(BigInt(Math.round(v))));
      nullable(s.endPosition, (v) => appender.appendBigInt(BigInt(Math.round(v))));
      nullable(s.consumers, (v) => appender.appendInteger(v));
      appender.endRow();
    }
    appender.closeSync();
  }

  private keyFilter(key: GroupKey | undefined): { sql: string; params: Record<string, string> } {
    if (!key) return { sql: '', params: {} };
    return {
      sql: ' AND system = $system AND destination = $destination AND consumer_group = $group',
      params: { system: key.system, destination: key.destination, group: key.group },
    };
  }

  async samples(query: { sinceMs: number; untilMs: number; key?: GroupKey }): Promise<LagSample[]> {
    const filter = this.keyFilter(query.key);
    const result = await this.connection.runAndReadAll(
      `SELECT ts_ms::DOUBLE AS ts, system, destination, consumer_group, partition, lag_messages::DOUBLE AS lag,
              lag_seconds, position::DOUBLE AS position, end_position::DOUBLE AS end_position, consumers
         FROM lag_samples
        WHERE ts_ms >= $since AND ts_ms < $until${filter.sql}
        ORDER BY ts_ms, system, destination, consumer_group, partition`,
      { since: BigInt(Math.floor(query.sinceMs)), until: BigInt(Math.ceil(query.untilMs)), ...filter.params },
    );
    return result.getRowObjectsJS().map((row) => ({
      tsMs: Number(row.ts),
      system: row.system as LagSample['system'],
      destination: row.destination as string,
      group: row.consumer_group as string,
      partition: row.partition as string,
      lagMessages: Number(row.lag),
      lagSeconds: num(row.lag_seconds),
      position: num(row.position),
      endPosition: num(row.end_position),
      consumers: num(row.consumers),
    }));
  }

  async groupSeries(query: SeriesQuery): Promise<Map<string, GroupSeries>> {
    return this.series(query, false);
  }

  async partitionSeries(query: SeriesQuery & { key: GroupKey }): Promise<Map<string, GroupSeriesPoint[]>> {
    const out = new Map<string, GroupSeriesPoint[]>();
    for (const [partition, series] of await this.series(query, true)) out.set(partition, series.points);
    return out;
  }

  private async series(query: SeriesQuery, perPartition: boolean): Promise<Map<string, GroupSeries>> {
    const filter = this.keyFilter(query.key);
    const partitionColumn = perPartition ? 'partition' : "''";
    const result = await this.connection.runAndReadAll(
      `WITH per_poll AS (
         SELECT system, destination, consumer_group, ${partitionColumn} AS part, ts_ms,
                sum(lag_messages) AS lag, max(lag_seconds) AS secs
           FROM lag_samples
          WHERE ts_ms >= $since AND ts_ms < $until${filter.sql}
          GROUP BY ALL
       )
       SELECT system, destination, consumer_group, part, max(ts_ms)::DOUBLE AS ts,
              max(lag)::DOUBLE AS lag, max(secs) AS secs
         FROM per_poll
        GROUP BY system, destination, consumer_group, part, ts_ms // $step
        ORDER BY system, destination, consumer_group, part, ts`,
      {
        since: BigInt(Math.floor(query.sinceMs)),
        until: BigInt(Math.ceil(query.untilMs)),
        step: BigInt(Math.max(1, Math.round(query.stepMs))),
        ...filter.params,
      },
    );
    const out = new Map<string, GroupSeries>();
    for (const row of result.getRowObjectsJS()) {
      const key: GroupKey = {
        system: row.system as GroupKey['system'],
        destination: row.destination as string,
        group: row.consumer_group as string,
      };
      const id = perPartition ? (row.part as string) : groupKeyId(key);
      let series = out.get(id);
      if (!series) out.set(id, (series = { key, points: [] }));
      series.points.push({ tsMs: Number(row.ts), lagMessages: Number(row.lag), lagSeconds: num(row.secs) });
    }
    return out;
  }

  async prune(beforeMs: number): Promise<number> {
    const run = async () => {
      const result = await this.connection.run('DELETE FROM lag_samples WHERE ts_ms < $before', {
        before: BigInt(Math.floor(beforeMs)),
      });
      return result.rowsChanged;
    };
    const next = this.writeChain.then(run);
    this.writeChain = next.catch(() => undefined);
    return next;
  }
}
