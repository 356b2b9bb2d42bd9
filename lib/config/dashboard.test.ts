import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '.';

const parseConfig = (env: Record<string, string>) => loadConfig(env, () => '');

describe('the store, ingest and UI settings', () => {
  it('has working defaults', () => {
    const config = parseConfig({});
    expect(config.store).toMatchObject({
      databasePath: path.resolve('data', 'signalbox.duckdb'),
      retentionHours: 168,
      retentionMaxBytes: 0,
    });
    expect(config.ingest).toMatchObject({
      maxBodyBytes: 16 * 1024 * 1024,
      otlpPort: 4318,
      otlpHost: '127.0.0.1',
      token: null,
    });
    expect(config.ui).toEqual({ traceLinks: undefined });
  });

  it('names the key of a bad value', () => {
    expect(() => parseConfig({ SIGNALBOX_OTLP_MAX_BODY_BYTES: 'lots' })).toThrow(ConfigError);
    expect(() => parseConfig({ SIGNALBOX_OTLP_MAX_BODY_BYTES: 'lots' })).toThrow(
      /SIGNALBOX_OTLP_MAX_BODY_BYTES="lots"/,
    );
    expect(() => parseConfig({ SIGNALBOX_OTLP_MAX_BODY_BYTES: '10' })).toThrow(
      /SIGNALBOX_OTLP_MAX_BODY_BYTES/,
    );
    expect(() => parseConfig({ SIGNALBOX_OTLP_PORT: '70000' })).toThrow(
      /SIGNALBOX_OTLP_PORT="70000".*0\/off/,
    );
    expect(() => parseConfig({ SIGNALBOX_RETENTION_HOURS: '-1' })).toThrow(/SIGNALBOX_RETENTION_HOURS/);
    expect(() => parseConfig({ SIGNALBOX_DUCKDB_MEMORY_LIMIT: 'lots' })).toThrow(/2GB/);
  });

  it('turns the OTLP listener off with 0 or off', () => {
    expect(parseConfig({ SIGNALBOX_OTLP_PORT: 'off' }).ingest.otlpPort).toBeNull();
    expect(parseConfig({ SIGNALBOX_OTLP_PORT: '0' }).ingest.otlpPort).toBeNull();
    expect(parseConfig({ SIGNALBOX_OTLP_PORT: '14318' }).ingest.otlpPort).toBe(14318);
    expect(parseConfig({}).ingest).toMatchObject({ otlpPort: 4318, otlpGrpcPort: 4317 });
    expect(parseConfig({ SIGNALBOX_OTLP_GRPC_PORT: 'off' }).ingest.otlpGrpcPort).toBeNull();
    expect(() => parseConfig({ SIGNALBOX_OTLP_GRPC_PORT: '-1' })).toThrow(/SIGNALBOX_OTLP_GRPC_PORT="-1"/);
  });

  it('wants a real ingest token and never echoes it', () => {
    expect(parseConfig({ SIGNALBOX_INGEST_TOKEN: 'x'.repeat(24) }).ingest.token).toBe('x'.repeat(24));
    expect(parseConfig({ SIGNALBOX_INGEST_TOKEN: '  ' }).ingest.token).toBeNull();
    expect(() => parseConfig({ SIGNALBOX_INGEST_TOKEN: 'short-secret' })).toThrow(
      /SIGNALBOX_INGEST_TOKEN=\(hidden\)/,
    );
    expect(() => parseConfig({ SIGNALBOX_INGEST_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
  });
});
