import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDbAuditLog } from '@/lib/audit/duckdb-audit-log';
import { type Row, SerialConnection } from '@/lib/store/serial-connection';
import type { ItemStatus, ReplayItem, ReplayJob, ReplayStore } from './replay-store';

const TABLES = [
  `CREATE TABLE IF NOT EXISTS dlq_replay_jobs (
    id VARCHAR PRIMARY KEY, queue_id VARCHAR NOT NULL, system VARCHAR NOT NULL, queue VARCHAR NOT NULL,
    selection VARCHAR NOT NULL, target VARCHAR, rate_per_second DOUBLE, max_replays INTEGER NOT NULL,
    edited_body VARCHAR, status VARCHAR NOT NULL, cursor VARCHAR, actor VARCHAR NOT NULL,
    created_at_ms BIGINT NOT NULL, finished_at_ms BIGINT, error VARCHAR, expected INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS dlq_replay_items (
    job_id VARCHAR NOT NULL, message_key VARCHAR NOT NULL, replay_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL, target VARCHAR, detail VARCHAR, at_ms BIGINT NOT NULL,
    PRIMARY KEY (job_id, message_key))`,
];

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) =>
  typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v);

function toJob(r: Row): ReplayJob {
  return {
    id: String(r.id),
    queueId: String(r.queue_id),
    system: String(r.system),
    queue: String(r.queue),
    selection: JSON.parse(String(r.selection)) as ReplayJob['selection'],
    target: str(r.target),
    ratePerSecond: num(r.rate_per_second),
    maxReplays: Number(r.max_replays),
    editedBody: str(r.edited_body),
    status: String(r.status) as ReplayJob['status'],
    cursor: str(r.cursor),
    actor: String(r.actor),
    createdAtMs: Number(r.created_at_ms),
    finishedAtMs: num(r.finished_at_ms),
    error: str(r.error),
    expected: Number(r.expected),
  };
}

/**
 * ReplayStore on a DuckDB connection the caller owns (one DuckDB instance per process: the dashboard
 * passes a connection of its instance). Writes are serialised: DuckDB connections run one statement
 * at a time, and the checkpoint order must be the order of confirmations.
 */
export class DuckDbReplayStore implements ReplayStore {
  private constructor(
    private readonly db: SerialConnection,
    readonly audit: DuckDbAuditLog,
  ) {}

  static async create(connection: DuckDBConnection): Promise<DuckDbReplayStore> {
    const db = new SerialConnection(connection);
    for (const sql of TABLES) await db.run(sql);
    return new DuckDbReplayStore(db, await DuckDbAuditLog.create(db));
  }

  private rows(sql: string, params: Record<string, string | number | bigint | null> = {}): Promise<Row[]> {
    return this.db.rows(sql, params);
  }

  createJob(j: ReplayJob): Promise<void> {
    return this.db.serial(async (c) => {
      await c.run(
        `INSERT INTO dlq_replay_jobs VALUES ($id, $queueId, $system, $queue, $selection, $target, $rate,
           $maxReplays, $editedBody, $status, $cursor, $actor, $createdAt, $finishedAt, $error, $expected)`,
        {
          id: j.id,
          queueId: j.queueId,
          system: j.system,
          queue: j.queue,
          selection: JSON.stringify(j.selection),
          target: j.target,
          rate: j.ratePerSecond,
          maxReplays: j.maxReplays,
          editedBody: j.editedBody,
          status: j.status,
          cursor: j.cursor,
          actor: j.actor,
          createdAt: BigInt(j.createdAtMs),
          finishedAt: j.finishedAtMs === null ? null : BigInt(j.finishedAtMs),
          error: j.error,
          expected: j.expected,
        },
      );
    });
  }

  async getJob(id: string): Promise<ReplayJob | null> {
    const rows = await this.rows('SELECT * FROM dlq_replay_jobs WHERE id = $id', { id });
    return rows[0] ? toJob(rows[0]) : null;
  }

  async listJobs(limit: number): Promise<ReplayJob[]> {
    const rows = await this.rows('SELECT * FROM dlq_replay_jobs ORDER BY created_at_ms DESC LIMIT $limit', {
      limit,
    });
    return rows.map(toJob);
  }

  updateJob(
    id: string,
    patch: Partial<Pick<ReplayJob, 'status' | 'cursor' | 'finishedAtMs' | 'error'>>,
  ): Promise<void> {
    const sets: string[] = [];
    const params: Record<string, string | bigint | null> = { id };
    for (const key of ['status', 'cursor', 'error'] as const) {
      const value = patch[key];
      if (value === undefined) continue;
      sets.push(`${key} = $${key}`);
      params[key] = value;
    }
    if (patch.finishedAtMs !== undefined) {
      sets.push('finished_at_ms = $finished');
      params.finished = patch.finishedAtMs === null ? null : BigInt(patch.finishedAtMs);
    }
    if (sets.length === 0) return Promise.resolve();
    return this.db.serial(async (c) => {
      await c.run(`UPDATE dlq_replay_jobs SET ${sets.join(', ')} WHERE id = $id`, params);
    });
  }

  recordItems(jobId: string, items: readonly ReplayItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return this.db.serial(async (c) => {
      // The appender is ~10x faster than a multi-row INSERT, and the checkpoint is on the replay's
      // hot path. It rejects a key already recorded for the job (primary key): the runner never
      // records one twice, and if it did the job would stop as failed, losing nothing.
      const appender = await c.createAppender('dlq_replay_items');
      const text = (v: string | null) => (v === null ? appender.appendNull() : appender.appendVarchar(v));
      for (const item of items) {
        appender.appendVarchar(jobId);
        appender.appendVarchar(item.messageKey);
        appender.appendVarchar(item.replayId);
        appender.appendVarchar(item.status);
        text(item.target);
        text(item.detail);
        appender.appendBigInt(BigInt(item.atMs));
        appender.endRow();
      }
      appender.closeSync();
    });
  }

  async items(jobId: string): Promise<ReplayItem[]> {
    const rows = await this.rows(
      'SELECT * FROM dlq_replay_items WHERE job_id = $job ORDER BY at_ms, message_key',
      { job: jobId },
    );
    return rows.map((r) => ({
      messageKey: String(r.message_key),
      replayId: String(r.replay_id),
      status: String(r.status) as ItemStatus,
      target: str(r.target),
      detail: str(r.detail),
      atMs: Number(r.at_ms),
    }));
  }

  async itemCounts(jobId: string): Promise<Record<ItemStatus, number>> {
    const rows = await this.rows(
      'SELECT status, count(*)::INTEGER AS n FROM dlq_replay_items WHERE job_id = $job GROUP BY status',
      { job: jobId },
    );
    const counts: Record<ItemStatus, number> = { replayed: 0, poison: 0, skipped: 0 };
    for (const r of rows) counts[String(r.status) as ItemStatus] = Number(r.n);
    return counts;
  }

  async replayedKeys(queueId: string): Promise<Set<string>> {
    const rows = await this.rows(
      `SELECT DISTINCT i.message_key FROM dlq_replay_items i JOIN dlq_replay_jobs j ON j.id = i.job_id
        WHERE j.queue_id = $queue AND i.status = 'replayed'`,
      { queue: queueId },
    );
    return new Set(rows.map((r) => String(r.message_key)));
  }
}
