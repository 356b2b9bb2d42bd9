import type { DuckDBConnection } from '@duckdb/node-api';

export type Row = Record<string, unknown>;
export type Params = Record<string, string | number | bigint | boolean | null>;

/**
 * A DuckDB connection used one statement at a time, in call order: a
 * connection runs one statement at once, and the side tables (sessions, API
 * tokens, the audit chain) need their writes in the order they were asked for.
 */
export class SerialConnection {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly connection: DuckDBConnection) {}

  /** Runs `work` after everything queued before it; a failure does not stop what follows. */
  serial<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.chain.then(() => work(this.connection));
    this.chain = next.catch(() => undefined);
    return next;
  }

  run(sql: string, params: Params = {}): Promise<void> {
    return this.serial(async (c) => {
      await c.run(sql, params);
    });
  }

  rows(sql: string, params: Params = {}): Promise<Row[]> {
    return this.serial(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJS() as Row[]);
  }
}

export const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const stringOrNull = (v: unknown): string | null =>
  typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v);
