import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  it('has working defaults', () => {
    const config = parseConfig({});
    expect(config.databasePath).toBe(path.resolve('data', 'signalbox.duckdb'));
    expect(config.otlpMaxBodyBytes).toBe(16 * 1024 * 1024);
  });

  it('names the key of a bad value', () => {
    expect(() => parseConfig({ SIGNALBOX_OTLP_MAX_BODY_BYTES: 'lots' })).toThrow(ConfigError);
    expect(() => parseConfig({ SIGNALBOX_OTLP_MAX_BODY_BYTES: 'lots' })).toThrow(
      /SIGNALBOX_OTLP_MAX_BODY_BYTES="lots"/,
    );
    expect(() => parseConfig({ SIGNALBOX_OTLP_MAX_BODY_BYTES: '10' })).toThrow(
      /SIGNALBOX_OTLP_MAX_BODY_BYTES/,
    );
  });
});
