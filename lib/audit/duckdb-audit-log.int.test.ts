import { afterEach, describe, expect, it } from 'vitest';
import { tempDuckDb } from '@/lib/dlq/testing/support';
import { SerialConnection } from '@/lib/store/serial-connection';
import type { AuditEntry } from './audit-entry';
import { DuckDbAuditLog } from './duckdb-audit-log';

const entry = (n: number): AuditEntry => ({
  atMs: 1_700_000_000_000 + n,
  actor: { name: 'Ada Admin', subject: 'sub-ada', idp: 'keycloak', tokenId: null },
  action: 'purge',
  queueId: 'rabbitmq:payments.dlq',
  jobId: null,
  detail: { purged: n },
});

describe('the audit log in a real DuckDB file', () => {
  let db: Awaited<ReturnType<typeof tempDuckDb>> | undefined;
  afterEach(() => db?.close());

  it('chains appends across reopening, and finds a row edited in the file', async () => {
    db = await tempDuckDb();
    const first = await DuckDbAuditLog.create(new SerialConnection(db.connection));
    await Promise.all([1, 2, 3].map((n) => first.append(entry(n))));
    // A second process (or a restart) continues the chain where it ended.
    const again = await DuckDbAuditLog.create(new SerialConnection(await db.connect()));
    await again.append(entry(4));
    expect((await again.list(10)).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(await again.verify()).toMatchObject({ ok: true, rows: 4, brokenAt: null });

    // Someone with the file changes who purged: the application has no UPDATE, SQL does.
    await db.connection.run("UPDATE audit_log SET actor_name = 'Mallory' WHERE seq = 2");
    expect(await again.verify()).toMatchObject({
      ok: false,
      rows: 1,
      brokenAt: { seq: 2, reason: 'its content does not match its hash: the row was edited' },
    });
  });

  it('adopts rows of the old dlq_audit table once, marked as typed names, and drops it', async () => {
    db = await tempDuckDb();
    await db.connection.run(`CREATE TABLE dlq_audit (at_ms BIGINT NOT NULL, actor VARCHAR NOT NULL,
      action VARCHAR NOT NULL, queue_id VARCHAR NOT NULL, job_id VARCHAR, detail VARCHAR NOT NULL)`);
    await db.connection.run(`INSERT INTO dlq_audit VALUES
      (2000, 'bob (token ab12cd34)', 'replay', 'kafka:orders.DLT', 'j-1', '{"expected":2}'),
      (1000, 'alice (token ab12cd34)', 'delete', 'kafka:orders.DLT', NULL, '{}')`);
    const log = await DuckDbAuditLog.create(new SerialConnection(db.connection));
    expect((await log.list(10)).map((e) => [e.seq, e.actor.name, e.actor.idp, e.action])).toEqual([
      [2, 'bob (token ab12cd34)', 'unverified (typed before sign-in)', 'replay'],
      [1, 'alice (token ab12cd34)', 'unverified (typed before sign-in)', 'delete'],
    ]);
    expect(await log.verify()).toMatchObject({ ok: true, rows: 2 });
    const tables = await db.connection.runAndReadAll(
      "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'dlq_audit'",
    );
    expect(tables.getRowObjectsJS()).toEqual([{ n: 0 }]);
  });
});
