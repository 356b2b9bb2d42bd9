import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { MessagingSpan } from '@/lib/model/span';
import { classifyMetric } from '@/lib/model/messaging-metric';
import type { MetricPoint } from '@/lib/model/metric';
import type { SeriesDims } from '@/lib/model/series';
import { type BackupCopy, copyDatabase } from './backup';
import { DeliveryResolver } from './delivery-resolver';
import { Dictionary } from './dictionary';
import { HOUR_GRACE_US, HOUR_US, hourOf, missingHours, rollUpHours } from './hour-rollups';
import { LiveCounters } from './live-counters';
import { compactRollups, deleteOlderThan, enforceMaxBytes, usedBytes } from './maintenance';
import { StreamStates, planMetrics } from './metric-batch';
import { openDatabase } from './open-database';
import { PathwayRegistry } from './pathway-registry';
import { ReaderPool } from './reader-pool';
import { RecentSpans } from './recent-spans';
import { num, readRows } from './queries/read-helpers';
import * as seriesQueries from './queries/series-queries';
import * as slowestQueries from './queries/slowest-queries';
import * as spanQueries from './queries/span-queries';
import * as windowQueries from './queries/window-queries';
import { MINUTE_US, RollupAccumulator } from './rollup-accumulator';
import { planSpans } from './span-batch';
import type { SpanShape } from './span-shapes';
import type {
  JourneyLookup,
  LiveTotals,
  SeriesFilter,
  StoreStats,
  TelemetryStore,
  TimeWindow,
} from './types';
import { WriteQueue } from './write-queue';
import { TransactionWriter } from './write-transaction';

export interface DuckDbStoreOptions {
  /** Rows accepted and not yet committed before appends are refused (QueueFullError). */
  queueMaxRows: number;
  memoryLimit: string;
  retentionHours: number;
  /** 0 = no size limit. */
  retentionMaxBytes: number;
  /** How often compaction and retention run; 0 = never (tests call maintain()). */
  maintenanceIntervalMs: number;
}

interface WriteItem {
  spans: readonly MessagingSpan[];
  metrics: readonly MetricPoint[];
}

/** Rows per write transaction: big enough to amortise the commit, small enough to keep latency low. */
const MAX_ROWS_PER_TRANSACTION = 50_000;
/** A delivery whose send has not arrived after this long stops waiting. */
const PENDING_TTL_US = 15 * 60 * 1e6;

/**
 * The embedded store: one DuckDB file, one writer connection fed by a bounded
 * batching queue (DuckDB allows one writing process per file), and a small
 * pool of read connections so queries never wait behind a write or each other.
 */
export class DuckDbStore implements TelemetryStore {
  readonly engine = 'duckdb';
  private readonly queue: WriteQueue<WriteItem>;
  private readonly live = new LiveCounters();
  /** Spans committed recently: an exporter's retry of a write that was stored is not counted twice. */
  private readonly recent = new RecentSpans();
  private maintenanceTimer: NodeJS.Timeout | null = null;
  private readonly sideConnections: DuckDBConnection[] = [];
  /** Hours whose minutes changed since their hour rollup was built. */
  private readonly dirtyHours = new Set<number>();
  private firstMaintenance = true;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly transactions: TransactionWriter,
    private readonly readers: ReaderPool,
    private readonly shapes: Dictionary<SpanShape>,
    private readonly series: Dictionary<SeriesDims>,
    private readonly resolver: DeliveryResolver,
    private readonly streams: StreamStates,
    private readonly pathwayRegistry: PathwayRegistry,
    private readonly options: DuckDbStoreOptions,
  ) {
    this.queue = new WriteQueue((items) => this.flush(items), options.queueMaxRows, MAX_ROWS_PER_TRANSACTION);
    if (options.maintenanceIntervalMs > 0) {
      this.maintenanceTimer = setInterval(() => {
        this.maintain().catch((error: unknown) =>
          console.error('signalbox: store maintenance failed', error),
        );
      }, options.maintenanceIntervalMs);
      this.maintenanceTimer.unref();
    }
  }

  /**
   * A new connection to this store's DuckDB instance for the DuckDB-only side
   * tables (lag history, replay jobs and audit log): one instance per process
   * and file, each user with its own connection so no one's appends run
   * inside another's transaction. close() closes them too: DuckDB keeps a file
   * open while any connection to it lives, and a second instance on that file in
   * the same process would then write over the first one's view of it.
   */
  async connectSideTables(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    this.sideConnections.push(connection);
    return connection;
  }

  /** Copies the store, side tables included, to a new DuckDB file while it keeps serving (backup.ts). */
  backupTo(target: string): Promise<BackupCopy> {
    return copyDatabase(this.instance, target);
  }

  static async open(databasePath: string, options: DuckDbStoreOptions): Promise<DuckDbStore> {
    const { instance, writer, state } = await openDatabase(databasePath, options.memoryLimit);
    return new DuckDbStore(
      instance,
      writer,
      await TransactionWriter.create(writer),
      await ReaderPool.open(instance, 3),
      new Dictionary<SpanShape>(state.shapes, 100_000),
      new Dictionary<SeriesDims>(state.series, 100_000),
      new DeliveryResolver(state.pending),
      new StreamStates(state.streams),
      new PathwayRegistry(state.pathways),
      options,
    );
  }

  appendSpans(spans: readonly MessagingSpan[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    return this.queue.enqueue({ spans, metrics: [] }, spans.length);
  }

  async appendMetrics(points: readonly MetricPoint[]): Promise<{ kept: number }> {
    const kept = points.filter((p) => classifyMetric(p) !== null);
    if (kept.length > 0) await this.queue.enqueue({ spans: [], metrics: kept }, kept.length);
    return { kept: kept.length };
  }

  private async flush(items: WriteItem[]): Promise<void> {
    const rollups = new RollupAccumulator();
    try {
      const spanPlan = await planSpans(this.recent.admit(items.flatMap((i) => i.spans)), {
        shapes: this.shapes,
        series: this.series,
        resolver: this.resolver,
        rollups,
        lookupSends: (producers) => spanQueries.lookupSends(this.writer, producers),
        nowUs: Date.now() * 1000,
      });
      const metricPlan = planMetrics(
        items.flatMap((i) => i.metrics),
        { series: this.series, rollups, streams: this.streams },
      );
      const minutes = rollups.minuteRows();
      const buckets = rollups.bucketRows();
      await this.transactions.write({
        spans: spanPlan,
        shapes: this.shapes.stagedEntries(),
        series: this.series.stagedEntries(),
        minutes,
        buckets,
        pathways: this.pathwayRegistry.stage([...spanPlan.pathways, ...metricPlan.pathways]),
        streams: this.streams.stagedEntries(),
      });
      for (const part of this.stagedParts()) part.commit();
      this.live.add(minutes, buckets);
      for (const minute of rollups.touchedMinutes()) this.dirtyHours.add(hourOf(minute));
    } catch (error) {
      for (const part of this.stagedParts()) part.rollback();
      throw error;
    }
  }

  /** The writer's in-memory state that stages a transaction's changes until it commits. */
  private stagedParts() {
    return [this.shapes, this.series, this.resolver, this.streams, this.pathwayRegistry, this.recent];
  }

  /** Compaction and retention, run between write transactions. */
  maintain(nowUs = Date.now() * 1000): Promise<void> {
    return this.queue.exclusive(async () => {
      const cutoff = nowUs - this.options.retentionHours * 3600e6;
      await deleteOlderThan(this.writer, cutoff, nowUs - PENDING_TTL_US);
      this.resolver.expire(nowUs - PENDING_TTL_US);
      this.streams.expire(cutoff);
      this.pathwayRegistry.expire(cutoff);
      while ((await compactRollups(this.writer, nowUs - MINUTE_US)) > 0) {
        // Compaction works through at most a few hours of minutes per round.
      }
      await this.rollUpClosedHours(nowUs);
      if (this.options.retentionMaxBytes > 0)
        await enforceMaxBytes(this.writer, this.options.retentionMaxBytes);
    });
  }

  /**
   * Builds hour rollups for closed hours whose minutes changed. After a
   * restart the in-memory dirty set is gone, so the first run also rebuilds
   * the last few hours and any hour that was never rolled up.
   */
  private async rollUpClosedHours(nowUs: number): Promise<void> {
    const closedBefore = hourOf(nowUs - HOUR_GRACE_US);
    const hours = new Set([...this.dirtyHours].filter((h) => h < closedBefore));
    if (this.firstMaintenance) {
      for (let h = closedBefore - 3 * HOUR_US; h < closedBefore; h += HOUR_US) hours.add(h);
      for (const h of await missingHours(this.writer, closedBefore)) hours.add(h);
      this.firstMaintenance = false;
    }
    const sorted = [...hours].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i += 48) await rollUpHours(this.writer, sorted.slice(i, i + 48));
    for (const h of sorted) this.dirtyHours.delete(h);
  }

  seriesTotals(window: TimeWindow, filter?: SeriesFilter) {
    return this.readers.use((c) => seriesQueries.seriesTotals(c, window, filter));
  }
  seriesTimeline(window: TimeWindow, stepUs: number, seriesIds: readonly number[]) {
    return this.readers.use((c) => seriesQueries.seriesTimeline(c, window, stepUs, seriesIds));
  }
  pathways() {
    return this.readers.use((c) => seriesQueries.pathways(c));
  }
  slowestDeliveries(window: TimeWindow, seriesIds: readonly number[], limit: number) {
    return this.readers.use((c) => slowestQueries.slowestDeliveries(c, window, seriesIds, limit));
  }
  slowestSends(
    window: TimeWindow,
    edge: { service: string; system: string; destination: string },
    limit: number,
  ) {
    return this.readers.use((c) => slowestQueries.slowestSends(c, window, edge, limit));
  }
  findSpans(ids: { traceIds?: string[]; messageIds?: string[]; conversationIds?: string[] }, limit: number) {
    return this.readers.use((c) => spanQueries.findSpans(c, ids, limit));
  }
  journeySpans(lookup: JourneyLookup, limit: number) {
    return this.readers.use((c) => spanQueries.journeySpans(c, lookup, limit));
  }
  processSpans(window: TimeWindow, limit: number) {
    return this.readers.use((c) => windowQueries.processSpans(c, window, limit));
  }
  traceRoutes(window: TimeWindow, limit: number) {
    return this.readers.use((c) => windowQueries.traceRoutes(c, window, limit));
  }

  deadLetterTargets(window: TimeWindow, limit: number) {
    return this.readers.use((c) => windowQueries.deadLetterTargets(c, window, limit));
  }

  async liveTotals(): Promise<LiveTotals[]> {
    const dims = await this.readers.use((c) => seriesQueries.seriesDims(c));
    return this.live.snapshot().flatMap((t) => {
      const d = dims.get(t.seriesId);
      return d ? [{ ...t, dims: d }] : [];
    });
  }

  async stats(): Promise<StoreStats> {
    const [row] = await this.readers.use((c) => readRows(c, 'SELECT count(*) AS n FROM messaging_spans'));
    return {
      messagingSpans: row ? num(row.n) : 0,
      queuedRows: this.queue.pendingRows,
      pendingDeliveries: this.resolver.pendingSize,
      databaseBytes: await this.readers.use((c) => usedBytes(c)),
    };
  }

  async close(): Promise<void> {
    if (this.maintenanceTimer) clearInterval(this.maintenanceTimer);
    await this.queue.close();
    this.transactions.close();
    this.readers.close();
    for (const connection of this.sideConnections.splice(0)) connection.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
