import { TwoGenerationMap } from '@signalbox/instrumentation/protocol';

/**
 * Joins each consumed message (process span) to the send that produced it, to
 * measure delivery latency (send start → process start) at ingest time.
 *
 * Where the send time comes from, in order:
 * 1. the Signalbox pathway attribute `signalbox.pathway.send_ms` on the
 *    process span (no join needed; PATHWAY.md);
 * 2. the producer span named by the process span's links or parent, found in
 *    the same batch, in a cache of recent sends, or in the store;
 * 3. otherwise the delivery waits in `pending` until its send arrives: OTLP
 *    exporters flush independently, so the consumer's spans often land before
 *    the producer's. Pending entries expire (maintenance) and are capped.
 *
 * State changes are staged and applied on commit, like the dictionaries.
 */
export interface PendingDelivery {
  pendingId: number;
  receivedUs: number;
  producerTraceId: string;
  producerSpanId: string;
  startUs: number;
  seriesId: number;
  traceId: string;
  spanId: string;
  messageId: string | null;
}

export interface ResolvedDelivery {
  startUs: number;
  seriesId: number;
  traceId: string;
  spanId: string;
  messageId: string | null;
  latencyUs: number;
}

const key = (traceId: string, spanId: string) => traceId + spanId;

export class DeliveryResolver {
  // Two generations, not an LRU: deleting the oldest key per insert cost 30% of the ingest CPU.
  private readonly recentSends: TwoGenerationMap<string, number>;
  private readonly pending = new Map<string, PendingDelivery[]>();
  private pendingCount = 0;
  private nextPendingId: number;
  // Staged by the transaction being built.
  private stagedSends: [string, number][] = [];
  private stagedPending: PendingDelivery[] = [];
  private stagedResolvedKeys = new Set<string>();

  constructor(
    pending: PendingDelivery[],
    maxRecentSends = 200_000,
    readonly maxPending = 100_000,
  ) {
    this.recentSends = new TwoGenerationMap(maxRecentSends / 2);
    let maxId = 0;
    for (const p of pending) {
      this.addPending(p);
      maxId = Math.max(maxId, p.pendingId);
    }
    this.nextPendingId = maxId + 1;
  }

  get pendingSize(): number {
    return this.pendingCount;
  }

  /** The producer's start time if it is known without asking the store. */
  knownSendUs(traceId: string, spanId: string, batch: Map<string, number>): number | undefined {
    const k = key(traceId, spanId);
    return batch.get(k) ?? this.recentSends.get(k);
  }

  /** Records sends of this batch; returns pending deliveries they complete. */
  stageSends(sends: Map<string, number>): { resolved: ResolvedDelivery[]; pendingIds: number[] } {
    const resolved: ResolvedDelivery[] = [];
    const pendingIds: number[] = [];
    for (const [k, sendUs] of sends) {
      this.stagedSends.push([k, sendUs]);
      const waiting = this.pending.get(k);
      if (!waiting || this.stagedResolvedKeys.has(k)) continue;
      this.stagedResolvedKeys.add(k);
      for (const p of waiting) {
        pendingIds.push(p.pendingId);
        resolved.push({
          startUs: p.startUs,
          seriesId: p.seriesId,
          traceId: p.traceId,
          spanId: p.spanId,
          messageId: p.messageId,
          latencyUs: p.startUs - sendUs,
        });
      }
    }
    return { resolved, pendingIds };
  }

  /** Stages a delivery whose send is unknown yet; null when the pending cap is reached. */
  stagePending(p: Omit<PendingDelivery, 'pendingId'>): PendingDelivery | null {
    if (this.pendingCount + this.stagedPending.length >= this.maxPending) return null;
    const entry = { ...p, pendingId: this.nextPendingId++ };
    this.stagedPending.push(entry);
    return entry;
  }

  commit(): void {
    for (const [k, us] of this.stagedSends) this.recentSends.set(k, us);
    for (const k of this.stagedResolvedKeys) {
      this.pendingCount -= this.pending.get(k)?.length ?? 0;
      this.pending.delete(k);
    }
    for (const p of this.stagedPending) this.addPending(p);
    this.clearStaged();
  }

  rollback(): void {
    this.clearStaged();
  }

  /** Drops pending deliveries received before `cutoffUs`; returns how many. */
  expire(cutoffUs: number): number {
    let dropped = 0;
    for (const [k, list] of this.pending) {
      const kept = list.filter((p) => p.receivedUs >= cutoffUs);
      dropped += list.length - kept.length;
      if (kept.length === 0) this.pending.delete(k);
      else this.pending.set(k, kept);
    }
    this.pendingCount -= dropped;
    return dropped;
  }

  private addPending(p: PendingDelivery): void {
    const k = key(p.producerTraceId, p.producerSpanId);
    const list = this.pending.get(k);
    if (list) list.push(p);
    else this.pending.set(k, [p]);
    this.pendingCount++;
  }

  private clearStaged(): void {
    this.stagedSends = [];
    this.stagedPending = [];
    this.stagedResolvedKeys = new Set();
  }
}

export const sendKey = key;
