import { DuckDBInstance } from '@duckdb/node-api';
import { readRows } from '../queries/read-helpers';

/** The span ids a DuckDB file holds, read with DuckDB alone (not the store), as a check after a crash or stop. */
export async function storedSpanIds(databasePath: string): Promise<Set<string>> {
  const instance = await DuckDBInstance.create(databasePath);
  const connection = await instance.connect();
  try {
    const rows = await readRows(connection, 'SELECT span_id FROM messaging_spans');
    return new Set(rows.map((r) => r.span_id as string));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
