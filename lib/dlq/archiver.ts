import type { ArchiveCounts, ArchivedMessage, DlqArchiveStore } from './archive-store';
import { remaskView } from './message-view';
import type { DlqService } from './service';

/** What one archive pass did, per queue (shown on the page and in logs). */
export interface ArchivePass {
  queueId: string;
  atMs: number;
  added: number;
  gone: number;
  error: string | null;
}

/** Archive mode as one DLQ's page panel and GET /api/dlq/{id}/archive show it. */
export interface ArchiveView {
  enabled: boolean;
  intervalSeconds: number;
  counts: ArchiveCounts;
  lastPass: ArchivePass | null;
  messages: ArchivedMessage[];
}

/**
 * Archive mode: every `intervalMs`, reads each discovered DLQ (the same read the page does, so the
 * same broker side effects — see lib/dlq/README.md) and copies what it finds into the archive store.
 * A queue with a replay job queued or running is skipped for that pass, so the archiver never holds
 * messages a replay is about to read. A broker that is down fails its queues' pass, not the others.
 */
export class DlqArchiver {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  readonly last = new Map<string, ArchivePass>();

  constructor(
    private readonly service: DlqService,
    private readonly store: DlqArchiveStore,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    const tick = () => {
      this.running ??= this.pass()
        .then(() => undefined)
        .catch((error: unknown) => console.error('signalbox: DLQ archive pass failed', error))
        .finally(() => {
          this.running = null;
        });
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  /** One pass over every DLQ; resolves when it is done. */
  async pass(now: () => number = Date.now): Promise<ArchivePass[]> {
    const { queues } = await this.service.queues();
    const passes: ArchivePass[] = [];
    for (const queue of queues) {
      if (this.service.hasActiveJob(queue.id)) continue;
      const atMs = now();
      let pass: ArchivePass;
      try {
        const { messages, truncated } = await this.service.messages(queue.id, {});
        const { added, gone } = await this.store.record(queue.id, messages, atMs, !truncated);
        pass = { queueId: queue.id, atMs, added, gone, error: null };
      } catch (error) {
        pass = { queueId: queue.id, atMs, added: 0, gone: 0, error: String(error) };
      }
      this.last.set(queue.id, pass);
      passes.push(pass);
    }
    return passes;
  }

  /**
   * What archive mode holds for one DLQ: the page and the API read it here, not from the store. Rows
   * are stored masked; today's rules are applied again, for rows archived under older ones.
   */
  async view(queueId: string, options: { goneOnly: boolean; limit: number }): Promise<ArchiveView> {
    const [counts, messages] = await Promise.all([
      this.store.counts(queueId),
      this.store.list(queueId, options),
    ]);
    return {
      enabled: this.intervalMs > 0,
      intervalSeconds: this.intervalMs / 1000,
      counts,
      lastPass: this.last.get(queueId) ?? null,
      messages: messages.map((m) => ({ ...m, message: remaskView(m.message, this.service.masker) })),
    };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
