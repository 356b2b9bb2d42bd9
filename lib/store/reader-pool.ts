import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * A few read connections, each running one query at a time: API requests
 * (and independent lookups within one request, like a journey's spans and
 * consumers) run side by side instead of queueing behind each other, and
 * never behind the writer's connection.
 */
export class ReaderPool {
  private readonly idle: DuckDBConnection[];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];

  private constructor(private readonly all: DuckDBConnection[]) {
    this.idle = [...all];
  }

  static async open(instance: DuckDBInstance, size: number): Promise<ReaderPool> {
    const connections: DuckDBConnection[] = [];
    for (let i = 0; i < size; i++) connections.push(await instance.connect());
    return new ReaderPool(connections);
  }

  async use<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection =
      this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(connection);
    } finally {
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.idle.push(connection);
    }
  }

  close(): void {
    for (const c of this.all) c.closeSync();
  }
}
