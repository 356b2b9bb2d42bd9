/**
 * A map that forgets old entries in bulk, for state kept about messages that
 * may never come back (never acknowledged, never deleted): memory must stay
 * bounded exactly when the application stops settling.
 *
 * Entries go into the current generation; once it holds `cap` keys, the
 * previous generation is dropped whole and the current one takes its place.
 * So an entry is found until at least `cap` newer keys were added, and at
 * most 2 × `cap` entries are held.
 *
 * Why not evict the oldest key on every insert: V8 leaves a deleted slot at
 * the front of a Map for each such delete, and `keys().next()` walks all of
 * them, so every insert got slower the longer the cap was hit (the dashboard's
 * ingest lost 30% of its CPU to that pattern).
 */
export class TwoGenerationMap<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`cap must be a positive integer, got ${cap}`);
  }

  /** Entries held, at most 2 × cap. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  get(key: K): V | undefined {
    // `has`, not `??`: a stored null must come back as null.
    return this.current.has(key) ? this.current.get(key) : this.previous.get(key);
  }

  set(key: K, value: V): this {
    if (!this.current.has(key) && this.current.size >= this.cap) {
      this.previous = this.current;
      this.current = new Map();
    }
    // A key refreshed from the previous generation lives on in the current one only.
    this.previous.delete(key);
    this.current.set(key, value);
    return this;
  }

  /** Removes `key` from both generations; true if it was held. */
  delete(key: K): boolean {
    const inCurrent = this.current.delete(key);
    const inPrevious = this.previous.delete(key);
    return inCurrent || inPrevious;
  }
}
