import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbAuditLog } from '@/lib/audit/duckdb-audit-log';
import { toMessagingSpan } from '@/lib/ingest/messaging-span';
import { StoreBackups } from './backups';
import { DuckDbStore } from './duckdb-store';
import { SerialConnection } from './serial-connection';
import { decodedSpan } from './testing/span-factory';
import { storedSpanIds } from './testing/stored-span-ids';

// Backup while the store serves and takes telemetry, then restore with the script operators run:
// a real DuckDB file, the real store and audit log, the real restore script in its own process.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-backup-'));
const databasePath = path.join(dir, 'signalbox.duckdb');
const OPTIONS = {
  queueMaxRows: 200_000,
  memoryLimit: '512MB',
  retentionHours: 24 * 365,
  retentionMaxBytes: 0,
  maintenanceIntervalMs: 0,
};
const repo = path.resolve(import.meta.dirname, '../..');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `size` Kafka send spans, stored as ingest would store them. */
function batch(size: number) {
  return Array.from({ length: size }, () =>
    toMessagingSpan(
      decodedSpan({
        service: 'checkout',
        name: 'send orders',
        kind: 4,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': 'orders',
          'messaging.operation.type': 'send',
        },
      }),
    )!,
  );
}

const restore = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/restore-store.mjs', ...args], { cwd: repo, encoding: 'utf8' });

const publishedIn = async (store: DuckDbStore) =>
  (await store.seriesTotals({ fromUs: 0, toUs: Date.now() * 1000 + 60e6 }))
    .filter((t) => t.dims.kind === 'publish')
    .reduce((n, t) => n + t.messages, 0);

describe('backup while running, and restore', () => {
  let backupPath = '';
  let backupIds = new Set<string>();
  /** Spans in the live store when the first test closed it. */
  let liveSpans = 0;

  it('copies the store as of one commit while ingest goes on, side tables and audit chain included', async () => {
    const store = await DuckDbStore.open(databasePath, OPTIONS);
    const audit = await DuckDbAuditLog.create(new SerialConnection(await store.connectSideTables()));
    for (const n of [1, 2, 3])
      await audit.append({
        atMs: 1_700_000_000_000 + n,
        actor: { name: 'Ada Admin', subject: 'sub-ada', idp: 'keycloak', tokenId: null },
        action: 'purge',
        queueId: 'rabbitmq:payments.dlq',
        jobId: null,
        detail: { purged: n },
      });
    // Enough data that the copy takes a while, so batches are acknowledged while it runs.
    for (let i = 0; i < 40; i++) await store.appendSpans(batch(5000));

    const acknowledged = new Set<string>();
    let refused = 0;
    let copying = false;
    let acknowledgedWhileCopying = 0;
    let stop = false;
    const ingest = (async () => {
      while (!stop) {
        const spans = batch(500);
        try {
          await store.appendSpans(spans);
          for (const s of spans) acknowledged.add(s.spanId);
          if (copying) acknowledgedWhileCopying += 1;
        } catch {
          refused += 1;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 100));

    const backups = new StoreBackups(path.join(dir, 'backups'), store);
    const before = new Set(acknowledged);
    copying = true;
    const [taken, second] = await Promise.allSettled([backups.take(), backups.take()]);
    copying = false;
    stop = true;
    await ingest;
    await store.close();
    liveSpans = 200_000 + acknowledged.size;

    // One backup at a time: the second asks to wait.
    expect(second).toMatchObject({ status: 'rejected', reason: { status: 409 } });
    expect(taken.status).toBe('fulfilled');
    const backup = (taken as PromiseFulfilledResult<Awaited<ReturnType<StoreBackups['take']>>>).value;
    backupPath = path.join(dir, 'backups', backup.name);

    // Ingest was not paused or refused while the copy ran.
    expect(refused).toBe(0);
    expect(acknowledgedWhileCopying).toBeGreaterThan(0);

    // The copy holds every batch acknowledged before it began, and nothing that was never stored.
    backupIds = await storedSpanIds(backupPath);
    expect([...before].filter((id) => !backupIds.has(id))).toEqual([]);
    expect(backupIds.size).toBeGreaterThanOrEqual(200_000 + before.size);
    expect(backupIds.size).toBeLessThanOrEqual(200_000 + acknowledged.size);
    expect(backup.tables.messaging_spans).toBe(backupIds.size);
    expect(backup.bytes).toBe(fs.statSync(backupPath).size);

    // The copy is a store Signalbox opens as it is: rollups agree with its raw rows (one commit's
    // view, not raw rows of one moment and rollups of another), and the audit chain verifies.
    const opened = await DuckDbStore.open(backupPath, OPTIONS);
    try {
      expect(await publishedIn(opened)).toBe(backupIds.size);
      const copiedAudit = await DuckDbAuditLog.create(new SerialConnection(await opened.connectSideTables()));
      expect(await copiedAudit.verify()).toMatchObject({ ok: true, rows: 3, brokenAt: null });
    } finally {
      await opened.close();
    }

    // Only finished backups are listed; no half-written file or log is left beside them.
    expect((await backups.list()).map((b) => [b.name, b.bytes])).toEqual([
      [backup.name, fs.statSync(backupPath).size],
    ]);
    expect(fs.readdirSync(path.join(dir, 'backups')).filter((f) => f !== backup.name)).toEqual([]);
    await expect(backups.pathOf('../signalbox.duckdb')).rejects.toMatchObject({ status: 404 });
  });

  it('the restore script refuses while the dashboard holds the store, then puts the backup back', async () => {
    expect(backupPath).not.toBe('');
    const running = await DuckDbStore.open(databasePath, OPTIONS);
    await running.appendSpans(batch(10)); // written after the backup: gone after the restore
    let refused;
    try {
      refused = restore(backupPath, '--data-dir', dir);
    } finally {
      await running.close();
    }
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is the dashboard running?');

    const done = restore(backupPath, '--data-dir', dir);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(done.stdout).toContain(`${backupIds.size} spans`);
    expect(await storedSpanIds(databasePath)).toEqual(backupIds);
    // The store it replaced is kept, not deleted.
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('signalbox.duckdb.before-restore-'));
    expect(aside.filter((f) => !f.endsWith('.wal'))).toHaveLength(1);
    expect(
      (
        await storedSpanIds(
          path.join(
            dir,
            aside.find((f) => !f.endsWith('.wal'))!,
          ),
        )
      ).size,
    ).toBe(liveSpans + 10);
  });

  it('the restore script says why a file is not a backup, and changes nothing', () => {
    const stray = path.join(dir, 'notes.txt');
    fs.writeFileSync(stray, 'not a database');
    const before = fs.readdirSync(dir).sort();
    const result = restore(stray, '--data-dir', dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot read .*notes\.txt as a DuckDB file/);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });
});
