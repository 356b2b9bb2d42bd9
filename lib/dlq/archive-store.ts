import { type DuckDBConnection, listValue } from '@duckdb/node-api';
import type { DlqMessageView } from './message-view';

/**
 * The DLQ archive: a copy of every dead letter Signalbox has seen, kept in the embedded DuckDB so the
 * evidence (headers, failure, body preview) outlives the broker's retention, a purge, or a replay.
 * One row per queue and message; `gone_at_ms` is set when a complete read of the queue no longer
 * finds the message (replayed, deleted, expired) and cleared if it shows up again.
 */
const TABLE = `CREATE TABLE IF NOT EXISTS dlq_archive (
  queue_id VARCHAR NOT NULL, message_id VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL,
  first_seen_ms BIGINT NOT NULL, last_seen_ms BIGINT NOT NULL, gone_at_ms BIGINT,
  view VARCHAR NOT NULL, PRIMARY KEY (queue_id, message_id))`;

export interface ArchivedMessage {
  message: DlqMessageView;
  firstSeenMs: number;
  lastSeenMs: number;
  /** When a complete read of the DLQ stopped finding it; null while it is still there. */
  goneAtMs: number | null;
}

export interface ArchiveCounts {
  archived: number;
  gone: number;
}

export class DlqArchiveStore {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly connection: DuckDBConnection) {}

  static async create(connection: DuckDBConnection): Promise<DlqArchiveStore> {
    await connection.run(TABLE);
    return new DlqArchiveStore(connection);
  }

  /** One statement at a time on the connection (DuckDB connections are not concurrent). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Records one read of a DLQ at `seenAtMs`: new messages are added, known ones touched. When the read
   * was `complete` (not cut at the browse limit), messages it did not find are marked gone.
   */
  record(
    queueId: string,
    messages: readonly DlqMessageView[],
    seenAtMs: number,
    complete: boolean,
  ): Promise<{ added: number; gone: number }> {
    return this.serial(async () => {
      const before = await this.countsNow(queueId);
      const known = new Set(
        (
          await this.connection.runAndReadAll('SELECT message_id FROM dlq_archive WHERE queue_id = $queue', {
            queue: queueId,
          })
        )
          .getRowObjectsJS()
          .map((r) => r.message_id as string),
      );
      const seen = messages.filter((m) => known.has(m.id)).map((m) => m.id);
      await this.connection.run('BEGIN TRANSACTION');
      try {
        // Only new messages are written whole; the ones already archived are touched in one statement.
        for (const m of messages) {
          if (known.has(m.id)) continue;
          known.add(m.id);
          await this.connection.run(
            'INSERT INTO dlq_archive VALUES ($queue, $id, $fingerprint, $at, $at, NULL, $view)',
            { queue: queueId, id: m.id, fingerprint: m.fingerprint, at: seenAtMs, view: JSON.stringify(m) },
          );
        }
        if (seen.length > 0) {
          await this.connection.run(
            `UPDATE dlq_archive SET last_seen_ms = $at, gone_at_ms = NULL
             WHERE queue_id = $queue AND message_id IN (SELECT unnest($ids))`,
            { queue: queueId, at: seenAtMs, ids: listValue(seen) },
          );
        }
        if (complete) {
          await this.connection.run(
            `UPDATE dlq_archive SET gone_at_ms = $at
             WHERE queue_id = $queue AND gone_at_ms IS NULL AND last_seen_ms < $at`,
            { queue: queueId, at: seenAtMs },
          );
        }
        await this.connection.run('COMMIT');
      } catch (error) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      const after = await this.countsNow(queueId);
      return { added: after.archived - before.archived, gone: after.gone - before.gone };
    });
  }

  /** Archived messages of a queue, newest first; `goneOnly` = only those no longer in the DLQ. */
  list(queueId: string, options: { goneOnly: boolean; limit: number }): Promise<ArchivedMessage[]> {
    return this.serial(async () => {
      const rows = (
        await this.connection.runAndReadAll(
          `SELECT view, first_seen_ms, last_seen_ms, gone_at_ms FROM dlq_archive
           WHERE queue_id = $queue ${options.goneOnly ? 'AND gone_at_ms IS NOT NULL' : ''}
           ORDER BY coalesce(gone_at_ms, last_seen_ms) DESC, message_id LIMIT ${Math.trunc(options.limit)}`,
          { queue: queueId },
        )
      ).getRowObjectsJS();
      return rows.map((r) => ({
        message: JSON.parse(r.view as string) as DlqMessageView,
        firstSeenMs: Number(r.first_seen_ms),
        lastSeenMs: Number(r.last_seen_ms),
        goneAtMs: r.gone_at_ms === null ? null : Number(r.gone_at_ms),
      }));
    });
  }

  counts(queueId: string): Promise<ArchiveCounts> {
    return this.serial(() => this.countsNow(queueId));
  }

  private async countsNow(queueId: string): Promise<ArchiveCounts> {
    const [row] = (
      await this.connection.runAndReadAll(
        `SELECT count(*)::INTEGER AS archived, count(gone_at_ms)::INTEGER AS gone
         FROM dlq_archive WHERE queue_id = $queue`,
        { queue: queueId },
      )
    ).getRowObjectsJS();
    return { archived: Number(row?.archived ?? 0), gone: Number(row?.gone ?? 0) };
  }
}
