import 'server-only';
import path from 'node:path';
import { z } from 'zod';

/**
 * The dashboard's configuration, read once from the environment and validated.
 * Nothing else reads process.env: a bad value stops start-up with a message
 * that names the key and says what is expected (see .env.example).
 */
const schema = z.object({
  SIGNALBOX_DATA_DIR: z.string().min(1).default('data'),
  SIGNALBOX_OTLP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(16 * 1024 * 1024),
});

export interface Config {
  /** Folder holding the DuckDB file; created if missing. */
  dataDir: string;
  /** Path of the DuckDB file inside dataDir. */
  databasePath: string;
  /** Largest OTLP request body accepted, before and after gzip decompression. */
  otlpMaxBodyBytes: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `${key}=${JSON.stringify(env[key] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(
      `Invalid configuration: ${problems.join('; ')}. Fix the value or unset it to use the default.`,
    );
  }
  const dataDir = path.resolve(result.data.SIGNALBOX_DATA_DIR);
  return {
    dataDir,
    databasePath: path.join(dataDir, 'signalbox.duckdb'),
    otlpMaxBodyBytes: result.data.SIGNALBOX_OTLP_MAX_BODY_BYTES,
  };
}

let cached: Config | undefined;

/** The process's configuration; throws ConfigError naming the bad key. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
