import fs from 'node:fs/promises';
import type { DuckDBInstance } from '@duckdb/node-api';
import { num, readRows } from './queries/read-helpers';

/** What one backup wrote. */
export interface BackupCopy {
  bytes: number;
  /** Rows per table in the copy (telemetry and side tables alike). */
  tables: Record<string, number>;
}

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Copies the open database into a new DuckDB file at `target` while it keeps
 * serving. `COPY FROM DATABASE` runs in one read transaction, so the copy is
 * the store as of one commit: every batch acknowledged before it began, none
 * half-written, whatever the writer does meanwhile (it is not paused). The
 * copy is written beside the target and renamed into place, so a file under
 * the target name is always complete; it is a store file that Signalbox opens
 * as it is (scripts/restore-store.mjs puts it back).
 */
export async function copyDatabase(instance: DuckDBInstance, target: string): Promise<BackupCopy> {
  const partial = `${target}.partial`;
  await fs.rm(partial, { force: true });
  const connection = await instance.connect();
  // Unique per process: two stores in one process (tests) may back up at once.
  const alias = `signalbox_backup_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  let attached = false;
  try {
    const [current] = await readRows(connection, 'SELECT current_database() AS name');
    await connection.run(`ATTACH ${literal(partial)} AS ${quoted(alias)}`);
    attached = true;
    await connection.run(`COPY FROM DATABASE ${quoted(current!.name as string)} TO ${quoted(alias)}`);
    const tables: Record<string, number> = {};
    for (const { table_name } of await readRows(
      connection,
      `SELECT table_name FROM information_schema.tables WHERE table_catalog = ${literal(alias)} ORDER BY table_name`,
    )) {
      const name = table_name as string;
      const [row] = await readRows(connection, `SELECT count(*) AS n FROM ${quoted(alias)}.${quoted(name)}`);
      tables[name] = row ? num(row.n) : 0;
    }
    // Everything into the file itself, so no write-ahead log is left beside it under the old name.
    await connection.run(`CHECKPOINT ${quoted(alias)}`);
    await connection.run(`DETACH ${quoted(alias)}`);
    attached = false;
    await fs.rename(partial, target);
    return { bytes: (await fs.stat(target)).size, tables };
  } catch (error) {
    if (attached) await connection.run(`DETACH ${quoted(alias)}`).catch(() => undefined);
    await fs.rm(partial, { force: true });
    throw error;
  } finally {
    connection.closeSync();
  }
}
