import {
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  VARCHAR,
  listValue,
} from '@duckdb/node-api';

/** Row values as DuckDB's JS conversion gives them (BIGINT arrives as bigint). */
export type Row = Record<string, unknown>;

export interface Params {
  values: Record<string, DuckDBValue>;
  types: Record<string, DuckDBType>;
}

export async function readRows(connection: DuckDBConnection, sql: string, params?: Params): Promise<Row[]> {
  const result = params
    ? await connection.runAndReadAll(sql, params.values, params.types)
    : await connection.runAndReadAll(sql);
  return result.getRowObjectsJS();
}

export const num = (value: unknown): number => (typeof value === 'bigint' ? Number(value) : Number(value));
export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : num(value);
export const strOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);

/** Builds typed query parameters: lists need their type, since an empty list has none to infer. */
export class ParamBuilder {
  readonly values: Record<string, DuckDBValue> = {};
  readonly types: Record<string, DuckDBType> = {};

  window(w: { fromUs: number; toUs: number }): this {
    this.values.from = BigInt(Math.floor(w.fromUs));
    this.values.to = BigInt(Math.ceil(w.toUs));
    return this;
  }
  bigint(name: string, value: number): this {
    this.values[name] = BigInt(Math.round(value));
    return this;
  }
  text(name: string, value: string): this {
    this.values[name] = value;
    this.types[name] = VARCHAR;
    return this;
  }
  int(name: string, value: number): this {
    this.values[name] = value;
    this.types[name] = INTEGER;
    return this;
  }
  texts(name: string, values: readonly string[]): this {
    this.values[name] = listValue([...values]);
    this.types[name] = LIST(VARCHAR);
    return this;
  }
  ints(name: string, values: readonly number[]): this {
    this.values[name] = listValue([...values]);
    this.types[name] = LIST(INTEGER);
    return this;
  }
}
