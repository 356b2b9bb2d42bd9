import path from 'node:path';
import { z } from 'zod';
import { int, secret } from './fields';
import { section } from './section';

/** The dashboard's own settings: where it keeps telemetry, how it takes it in, what it links to. */

const MIB = 1024 * 1024;

export interface StoreConfig {
  /** Folder holding the DuckDB file; created if missing. */
  dataDir: string;
  /** Path of the DuckDB file inside dataDir. */
  databasePath: string;
  /** Folder the backups taken while running go to (POST /api/backups). */
  backupDir: string;
  /** DuckDB's memory_limit: bounds the store's memory, spilling to disk beyond it. */
  duckdbMemoryLimit: string;
  /** Telemetry older than this is deleted. */
  retentionHours: number;
  /** When > 0, the oldest raw spans are deleted while the store uses more than this. */
  retentionMaxBytes: number;
  /** How often compaction and retention run. */
  maintenanceIntervalSeconds: number;
  /** Spans + metric points waiting for the writer; beyond it ingest answers 429. */
  queueMaxRows: number;
}

export interface IngestConfig {
  /** Largest OTLP request body accepted, before and after gzip decompression. */
  maxBodyBytes: number;
  /** Port of the standalone OTLP/HTTP listener (4318 by default); null when disabled. */
  otlpPort: number | null;
  /** Port of the OTLP/gRPC listener (4317 by default), on otlpHost too; null when disabled. */
  otlpGrpcPort: number | null;
  otlpHost: string;
  /** When set, ingest requires `Authorization: Bearer <token>`. */
  token: string | null;
  /** Request bytes being read and decoded at once; beyond it ingest answers 429. */
  maxInflightBytes: number;
}

export interface UiConfig {
  /**
   * Links from journeys to a tracing UI, `Name=https://…{traceId}…;Name2=…`
   * (parsed by lib/ui/trace-links.ts); undefined when not configured.
   */
  traceLinks: string | undefined;
}

export const storeSection = section(
  z.object({
    SIGNALBOX_DATA_DIR: z.string().min(1).default('data'),
    SIGNALBOX_BACKUP_DIR: z.string().trim().min(1).optional(),
    SIGNALBOX_DUCKDB_MEMORY_LIMIT: z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'expected a size like 2GB or 512MiB')
      .default('2GB'),
    SIGNALBOX_RETENTION_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 3650)
      .default(168),
    SIGNALBOX_RETENTION_MAX_BYTES: z.coerce.number().int().min(0).default(0),
    SIGNALBOX_MAINTENANCE_INTERVAL_SECONDS: int(1, 86_400, 60),
    SIGNALBOX_INGEST_QUEUE_MAX_ROWS: int(1000, 10_000_000, 200_000),
  }),
  (d): StoreConfig => {
    const dataDir = path.resolve(d.SIGNALBOX_DATA_DIR);
    return {
      dataDir,
      databasePath: path.join(dataDir, 'signalbox.duckdb'),
      backupDir: path.resolve(d.SIGNALBOX_BACKUP_DIR ?? path.join(dataDir, 'backups')),
      duckdbMemoryLimit: d.SIGNALBOX_DUCKDB_MEMORY_LIMIT,
      retentionHours: d.SIGNALBOX_RETENTION_HOURS,
      retentionMaxBytes: d.SIGNALBOX_RETENTION_MAX_BYTES,
      maintenanceIntervalSeconds: d.SIGNALBOX_MAINTENANCE_INTERVAL_SECONDS,
      queueMaxRows: d.SIGNALBOX_INGEST_QUEUE_MAX_ROWS,
    };
  },
);

/** A listener's port, or null for 0/off (the listener is not started). */
const listenerPort = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value, ctx) => {
      if (value === 'off' || value === '0' || value === '') return null;
      const port = Number(value);
      if (Number.isInteger(port) && port > 0 && port < 65536) return port;
      ctx.addIssue({ code: 'custom', message: 'expected a port 1-65535, or 0/off to disable' });
      return z.NEVER;
    });

export const ingestSection = section(
  z.object({
    SIGNALBOX_OTLP_MAX_BODY_BYTES: int(1024, 256 * MIB, 16 * MIB),
    SIGNALBOX_OTLP_PORT: listenerPort('4318'),
    SIGNALBOX_OTLP_GRPC_PORT: listenerPort('4317'),
    // Loopback unless access control is settled (lib/config/auth.ts): the listener takes anyone's telemetry.
    SIGNALBOX_OTLP_HOST: z.string().trim().min(1).default('127.0.0.1'),
    SIGNALBOX_INGEST_TOKEN: secret('to accept telemetry without a token'),
    SIGNALBOX_INGEST_MAX_INFLIGHT_BYTES: int(MIB, 16 * 1024 * MIB, 256 * MIB),
  }),
  (d): IngestConfig => ({
    maxBodyBytes: d.SIGNALBOX_OTLP_MAX_BODY_BYTES,
    otlpPort: d.SIGNALBOX_OTLP_PORT,
    otlpGrpcPort: d.SIGNALBOX_OTLP_GRPC_PORT,
    otlpHost: d.SIGNALBOX_OTLP_HOST,
    token: d.SIGNALBOX_INGEST_TOKEN,
    maxInflightBytes: d.SIGNALBOX_INGEST_MAX_INFLIGHT_BYTES,
  }),
);

export const uiSection = section(
  z.object({ SIGNALBOX_TRACE_LINKS: z.string().trim().optional() }),
  (d): UiConfig => ({ traceLinks: d.SIGNALBOX_TRACE_LINKS || undefined }),
);
