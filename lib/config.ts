import 'server-only';
import path from 'node:path';
import { z } from 'zod';

/**
 * The dashboard's configuration, read once from the environment and validated.
 * Broker and lag settings live in lib/brokers/config.ts, DLQ and operator ones
 * in lib/dlq/config.ts; lib/config-check.ts validates all three at start-up, so
 * a bad value stops the dashboard with a message that names the key and says
 * what is expected (see .env.example).
 */
const MIB = 1024 * 1024;
const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  SIGNALBOX_DATA_DIR: z.string().min(1).default('data'),
  SIGNALBOX_OTLP_MAX_BODY_BYTES: int(1024, 256 * MIB, 16 * MIB),
  SIGNALBOX_OTLP_PORT: z
    .string()
    .trim()
    .default('4318')
    .transform((value, ctx) => {
      if (value === 'off' || value === '0' || value === '') return null;
      const port = Number(value);
      if (Number.isInteger(port) && port > 0 && port < 65536) return port;
      ctx.addIssue({ code: 'custom', message: 'expected a port 1-65535, or 0/off to disable' });
      return z.NEVER;
    }),
  SIGNALBOX_OTLP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  SIGNALBOX_INGEST_TOKEN: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? null : value.trim()))
    .refine((value) => value === null || value.length >= 16, {
      message: 'use at least 16 characters (e.g. `openssl rand -hex 24`), or leave it empty',
    }),
  SIGNALBOX_INGEST_QUEUE_MAX_ROWS: int(1000, 10_000_000, 200_000),
  SIGNALBOX_INGEST_MAX_INFLIGHT_BYTES: int(MIB, 16 * 1024 * MIB, 256 * MIB),
  SIGNALBOX_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 3650)
    .default(168),
  SIGNALBOX_RETENTION_MAX_BYTES: z.coerce.number().int().min(0).default(0),
  SIGNALBOX_MAINTENANCE_INTERVAL_SECONDS: int(1, 86_400, 60),
  SIGNALBOX_TRACE_LINKS: z.string().trim().optional(),
  SIGNALBOX_DUCKDB_MEMORY_LIMIT: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'expected a size like 2GB or 512MiB')
    .default('2GB'),
});

export interface Config {
  /** Folder holding the DuckDB file; created if missing. */
  dataDir: string;
  /** Path of the DuckDB file inside dataDir. */
  databasePath: string;
  /** Largest OTLP request body accepted, before and after gzip decompression. */
  otlpMaxBodyBytes: number;
  /** Port of the standalone OTLP/HTTP listener (4318 by default); null when disabled. */
  otlpPort: number | null;
  otlpHost: string;
  /** When set, ingest requires `Authorization: Bearer <token>`. */
  ingestToken: string | null;
  /** Spans + metric points waiting for the writer; beyond it ingest answers 429. */
  ingestQueueMaxRows: number;
  /** Request bytes being read and decoded at once; beyond it ingest answers 429. */
  ingestMaxInflightBytes: number;
  /** Telemetry older than this is deleted. */
  retentionHours: number;
  /** When > 0, the oldest raw spans are deleted while the store uses more than this. */
  retentionMaxBytes: number;
  /** How often compaction and retention run. */
  maintenanceIntervalSeconds: number;
  /** DuckDB's memory_limit: bounds the store's memory, spilling to disk beyond it. */
  duckdbMemoryLimit: string;
  /**
   * Links from journeys to a tracing UI, `Name=https://…{traceId}…;Name2=…`
   * (parsed by lib/ui/trace-links.ts); undefined when not configured.
   */
  traceLinks: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      // Never echo a secret into logs.
      const shown = key.endsWith('_TOKEN') ? '(hidden)' : JSON.stringify(env[key] ?? '');
      return `${key}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(
      `Invalid configuration: ${problems.join('; ')}. Fix the value or unset it to use the default.`,
    );
  }
  const d = result.data;
  const dataDir = path.resolve(d.SIGNALBOX_DATA_DIR);
  return {
    dataDir,
    databasePath: path.join(dataDir, 'signalbox.duckdb'),
    otlpMaxBodyBytes: d.SIGNALBOX_OTLP_MAX_BODY_BYTES,
    otlpPort: d.SIGNALBOX_OTLP_PORT,
    otlpHost: d.SIGNALBOX_OTLP_HOST,
    ingestToken: d.SIGNALBOX_INGEST_TOKEN,
    ingestQueueMaxRows: d.SIGNALBOX_INGEST_QUEUE_MAX_ROWS,
    ingestMaxInflightBytes: d.SIGNALBOX_INGEST_MAX_INFLIGHT_BYTES,
    retentionHours: d.SIGNALBOX_RETENTION_HOURS,
    retentionMaxBytes: d.SIGNALBOX_RETENTION_MAX_BYTES,
    maintenanceIntervalSeconds: d.SIGNALBOX_MAINTENANCE_INTERVAL_SECONDS,
    duckdbMemoryLimit: d.SIGNALBOX_DUCKDB_MEMORY_LIMIT,
    traceLinks: d.SIGNALBOX_TRACE_LINKS || undefined,
  };
}

let cached: Config | undefined;

/** The process's configuration; throws ConfigError naming the bad key. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
