import type { PathwayEdge } from '@/lib/model/series';

/**
 * What is known about each pathway hash, merged from every source:
 * `pathway.sent` metrics and send spans know the producing service and the
 * parent hash; `pathway.latency` metrics only know the destination and hop
 * count (their service is the consumer). Only changes are written, plus a
 * refresh of `last_seen_us` at most once a minute per pathway.
 */
export class PathwayRegistry {
  private staged = new Map<string, PathwayEdge>();

  constructor(private readonly known: Map<string, PathwayEdge>) {}

  /** Merges new observations; returns the rows to upsert in this transaction. */
  stage(edges: readonly PathwayEdge[]): PathwayEdge[] {
    for (const e of edges) {
      const before = this.staged.get(e.hash) ?? this.known.get(e.hash);
      const fromProducer = e.service !== '';
      const merged: PathwayEdge = before
        ? {
            hash: e.hash,
            parentHash: fromProducer ? e.parentHash : before.parentHash,
            service: fromProducer ? e.service : before.service,
            // Where the producer sent wins: consumers name their own end (a RabbitMQ delivery adds
            // its queue), and one pathway fans out to several of them through an exchange.
            system: fromProducer || before.service === '' ? e.system : before.system,
            destination: fromProducer || before.service === '' ? e.destination : before.destination,
            hops: e.hops ?? before.hops,
            seenUs: Math.max(before.seenUs, e.seenUs),
          }
        : e;
      const changed =
        !before ||
        merged.parentHash !== before.parentHash ||
        merged.service !== before.service ||
        merged.destination !== before.destination ||
        merged.hops !== before.hops ||
        merged.seenUs - before.seenUs > 60_000_000;
      if (changed) this.staged.set(e.hash, merged);
    }
    return [...this.staged.values()];
  }

  commit(): void {
    for (const [hash, edge] of this.staged) this.known.set(hash, edge);
    this.staged = new Map();
  }

  rollback(): void {
    this.staged = new Map();
  }

  expire(cutoffUs: number): void {
    for (const [hash, edge] of this.known) if (edge.seenUs < cutoffUs) this.known.delete(hash);
  }
}
