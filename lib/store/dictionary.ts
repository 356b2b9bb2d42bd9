/**
 * An id dictionary for a low-cardinality dimension (span shapes, series):
 * each distinct value is stored once and rows refer to it by a small integer,
 * which keeps appends short and lets queries filter on integers.
 *
 * Transactional: ids handed out while building a transaction are staged, and
 * only become permanent once the transaction commits (`commit`), so a failed
 * write never leaves the in-memory dictionary pointing at rows that are not
 * in the file. Cardinality is capped: past `maxEntries` new values map to
 * `overflow()` (the caller's catch-all), so hostile or buggy input cannot grow
 * memory without bound.
 */
export class Dictionary<V> {
  private readonly ids = new Map<string, number>();
  private staged = new Map<string, { id: number; value: V }>();
  private nextId: number;
  private committedNextId: number;

  constructor(
    entries: Iterable<[string, number]>,
    readonly maxEntries: number,
  ) {
    let max = 0;
    for (const [key, id] of entries) {
      this.ids.set(key, id);
      if (id > max) max = id;
    }
    this.nextId = max + 1;
    this.committedNextId = this.nextId;
  }

  get size(): number {
    return this.ids.size + this.staged.size;
  }

  /** The id of `key`, staging a new entry built by `make` when it is new. Null when over capacity. */
  idFor(key: string, make: () => V): number | null {
    const known = this.ids.get(key) ?? this.staged.get(key)?.id;
    if (known !== undefined) return known;
    if (this.size >= this.maxEntries) return null;
    const id = this.nextId++;
    this.staged.set(key, { id, value: make() });
    return id;
  }

  /** Entries added since the last commit/rollback, to be written in the same transaction. */
  stagedEntries(): { id: number; value: V }[] {
    return [...this.staged.values()];
  }

  commit(): void {
    for (const [key, { id }] of this.staged) this.ids.set(key, id);
    this.staged = new Map();
    this.committedNextId = this.nextId;
  }

  rollback(): void {
    this.staged = new Map();
    this.nextId = this.committedNextId;
  }
}
