import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

/** Small helpers over DuckDB's appender and statements, for nullable values and bulk upserts. */

export function varcharOrNull(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

export function integerOrNull(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendInteger(value);
}

export function bigintOrNull(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendBigInt(BigInt(value));
}

export function doubleOrNull(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendDouble(value);
}

/** `INSERT OR REPLACE` of many rows, a few hundred per statement (tables with a primary key). */
export async function upsertRows(
  connection: DuckDBConnection,
  table: string,
  columnCount: number,
  rows: DuckDBValue[][],
): Promise<void> {
  const perStatement = 200;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const placeholders = chunk.map(() => `(${Array.from({ length: columnCount }, () => '?').join(', ')})`);
    await connection.run(`INSERT OR REPLACE INTO ${table} VALUES ${placeholders.join(', ')}`, chunk.flat());
  }
}

/** `DELETE ... WHERE column IN (...)` for integer ids, chunked. */
export async function deleteByIds(
  connection: DuckDBConnection,
  table: string,
  column: string,
  ids: readonly number[],
): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000).filter((id) => Number.isSafeInteger(id));
    if (chunk.length > 0)
      await connection.run(`DELETE FROM ${table} WHERE ${column} IN (${chunk.join(', ')})`);
  }
}
