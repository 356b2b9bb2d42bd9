import { describe, expect, it } from 'vitest';
import { Masker } from '@/lib/masking';
import { ConfigError, loadConfig } from '.';

describe('masking settings', () => {
  it('default to the shipped rules', () => {
    expect(loadConfig({}).masking).toEqual({ defaults: true, jsonPaths: [], headers: [], patterns: [] });
  });

  it('read comma lists; commas inside a pattern’s {m,n}, [...] or (...) stay in it', () => {
    const { masking } = loadConfig({
      SIGNALBOX_MASK_DEFAULTS: 'false',
      SIGNALBOX_MASK_JSON_PATHS: '$.card.number, $..iban',
      SIGNALBOX_MASK_HEADERS: 'x-customer-*,cookie',
      SIGNALBOX_MASK_PATTERNS: 'ORD-\\d{4,8},/secret[,;]\\w+/i',
    });
    expect(masking).toEqual({
      defaults: false,
      jsonPaths: ['$.card.number', '$..iban'],
      headers: ['x-customer-*', 'cookie'],
      patterns: ['ORD-\\d{4,8}', '/secret[,;]\\w+/i'],
    });
    const masker = new Masker(masking);
    expect(masker.text('ORD-12345 SECRET;abc jane@example.com')).toBe(
      '[masked:pattern] [masked:pattern] jane@example.com',
    );
  });

  it('stop start-up on a bad rule, naming the key', () => {
    const load = (env: Record<string, string>) => () => loadConfig(env);
    expect(load({ SIGNALBOX_MASK_PATTERNS: 'ok,(unclosed' })).toThrow(ConfigError);
    expect(load({ SIGNALBOX_MASK_PATTERNS: 'ok,(unclosed' })).toThrow(
      /SIGNALBOX_MASK_PATTERNS=.*not a regular expression: \(unclosed/,
    );
    expect(load({ SIGNALBOX_MASK_PATTERNS: 'a*' })).toThrow(/SIGNALBOX_MASK_PATTERNS.*empty string/);
    expect(load({ SIGNALBOX_MASK_JSON_PATHS: 'card.number' })).toThrow(
      /SIGNALBOX_MASK_JSON_PATHS=.*card\.number: expected JSON paths/,
    );
    expect(load({ SIGNALBOX_MASK_HEADERS: 'x api key' })).toThrow(/SIGNALBOX_MASK_HEADERS/);
    expect(load({ SIGNALBOX_MASK_DEFAULTS: 'maybe' })).toThrow(/SIGNALBOX_MASK_DEFAULTS.*true or false/);
  });
});
