import { type Row, type SerialConnection, stringOrNull as str } from '@/lib/store/serial-connection';
import type { AuditEntry, AuditLog, ChainCheck, ChainedAuditEntry } from './audit-entry';
import { GENESIS_HASH, chained, verifyChain } from './hash-chain';

const TABLE = `CREATE TABLE IF NOT EXISTS audit_log (
  seq BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL,
  actor_name VARCHAR NOT NULL, actor_subject VARCHAR, actor_idp VARCHAR, token_id VARCHAR,
  action VARCHAR NOT NULL, queue_id VARCHAR NOT NULL, job_id VARCHAR, detail VARCHAR NOT NULL,
  prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL)`;

function toEntry(r: Row): ChainedAuditEntry {
  return {
    seq: Number(r.seq),
    atMs: Number(r.at_ms),
    actor: {
      name: String(r.actor_name),
      subject: str(r.actor_subject),
      idp: str(r.actor_idp),
      tokenId: str(r.token_id),
    },
    action: String(r.action) as AuditEntry['action'],
    queueId: String(r.queue_id),
    jobId: str(r.job_id),
    detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}

/**
 * The audit log in the dashboard's DuckDB file. The application only ever
 * inserts: there is no update or delete here, and each row's hash covers the
 * row before it, so an edit made to the file by other means is found by
 * verify(). Appends are serialised on the connection, which keeps `seq` dense.
 */
export class DuckDbAuditLog implements AuditLog {
  private head: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };

  private constructor(private readonly db: SerialConnection) {}

  static async create(db: SerialConnection): Promise<DuckDbAuditLog> {
    const log = new DuckDbAuditLog(db);
    await db.run(TABLE);
    await log.loadHead();
    await log.adoptUnchainedRows();
    return log;
  }

  private async loadHead(): Promise<void> {
    const [last] = await this.db.rows('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.head = last ? { seq: Number(last.seq), hash: String(last.hash) } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Rows from before the chain existed (the `dlq_audit` table, whose actor was
   * a name the operator typed) join the chain once, oldest first, marked as
   * unverified, and the old table goes.
   */
  private async adoptUnchainedRows(): Promise<void> {
    const [old] = await this.db.rows(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'dlq_audit'",
    );
    if (!old || Number(old.n) === 0) return;
    const rows = await this.db.rows('SELECT * FROM dlq_audit ORDER BY at_ms');
    for (const r of rows) {
      await this.append({
        atMs: Number(r.at_ms),
        actor: {
          name: String(r.actor),
          subject: null,
          idp: 'unverified (typed before sign-in)',
          tokenId: null,
        },
        action: String(r.action) as AuditEntry['action'],
        queueId: String(r.queue_id),
        jobId: str(r.job_id),
        detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
      });
    }
    await this.db.run('DROP TABLE dlq_audit');
  }

  append(entry: AuditEntry): Promise<ChainedAuditEntry> {
    return this.db.serial(async (c) => {
      const row = chained(this.head.seq + 1, this.head.hash, entry);
      await c.run(
        `INSERT INTO audit_log VALUES ($seq, $at, $name, $subject, $idp, $token, $action, $queue, $job,
           $detail, $prev, $hash)`,
        {
          seq: BigInt(row.seq),
          at: BigInt(row.atMs),
          name: row.actor.name,
          subject: row.actor.subject,
          idp: row.actor.idp,
          token: row.actor.tokenId,
          action: row.action,
          queue: row.queueId,
          job: row.jobId,
          detail: JSON.stringify(row.detail),
          prev: row.prevHash,
          hash: row.hash,
        },
      );
      this.head = { seq: row.seq, hash: row.hash };
      return row;
    });
  }

  async list(limit: number, queueId?: string): Promise<ChainedAuditEntry[]> {
    const rows = await this.db.rows(
      `SELECT * FROM audit_log ${queueId ? 'WHERE queue_id = $queue' : ''} ORDER BY seq DESC LIMIT $limit`,
      queueId ? { limit, queue: queueId } : { limit },
    );
    return rows.map(toEntry);
  }

  /** Pages through the log oldest first, so an export of any size holds one page in memory. */
  async *all(): AsyncIterable<ChainedAuditEntry> {
    const page = 1000;
    for (let after = 0; ;) {
      const rows = await this.db.rows('SELECT * FROM audit_log WHERE seq > $after ORDER BY seq LIMIT $page', {
        after,
        page,
      });
      for (const r of rows) yield toEntry(r);
      if (rows.length < page) return;
      after = Number(rows.at(-1)!.seq);
    }
  }

  verify(): Promise<ChainCheck> {
    return verifyChain(this.all());
  }
}
