import { TwoGenerationMap } from '@signalbox/instrumentation/protocol';
import type { MessagingSpan } from '@/lib/model/span';
import { traceKey } from '@/lib/model/keys';

/** Spans remembered per generation; two generations are kept, so 400k–800k recent spans in all. */
const GENERATION = 400_000;

/**
 * Drops spans the store already committed recently: an OTLP exporter whose request timed out after
 * the store had written it sends the same spans again, and without this every one of them would be
 * counted twice in flows and latencies. A span is known by 52 bits of its span id plus its 32-bit
 * trace key (random ids: a false match between distinct spans is ~1 in 10^19 per pair). Bounded
 * memory: two generations of at most GENERATION spans each (a few tens of MB); a retry that
 * arrives after that many newer spans is stored again.
 *
 * Staged like the store's other parts: `admit` filters a write's spans (repeats inside the write
 * too), `commit` remembers them once the transaction committed, `rollback` forgets the staging — so
 * a write that failed is never mistaken for one that was stored.
 */
export class RecentSpans {
  private readonly committed: TwoGenerationMap<number, number>;
  private readonly staged = new Map<number, number>();

  constructor(generation = GENERATION) {
    this.committed = new TwoGenerationMap(generation);
  }

  admit(spans: readonly MessagingSpan[]): MessagingSpan[] {
    const fresh: MessagingSpan[] = [];
    for (const span of spans) {
      const id = parseInt(span.spanId.slice(0, 13), 16);
      const trace = traceKey(span.traceId);
      if (this.committed.get(id) === trace || this.staged.get(id) === trace) continue;
      this.staged.set(id, trace);
      fresh.push(span);
    }
    return fresh;
  }

  commit(): void {
    for (const [id, trace] of this.staged) this.committed.set(id, trace);
    this.staged.clear();
  }

  rollback(): void {
    this.staged.clear();
  }
}
