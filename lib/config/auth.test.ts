import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '.';
import { isLoopback } from './auth';

const parseConfig = (env: Record<string, string>) => loadConfig(env, () => '');

describe('access control and where the dashboard listens', () => {
  it('listens on loopback only by default, with no access control configured', () => {
    const config = parseConfig({});
    expect(config.auth).toEqual({ mode: null, dashboardHosts: ['127.0.0.1'] });
    expect(config.ingest.otlpHost).toBe('127.0.0.1');
  });

  it('refuses any other address without SIGNALBOX_AUTH=none, saying why and what to set', () => {
    const exposed: Record<string, string>[] = [
      { SIGNALBOX_HOST: '0.0.0.0' },
      { HOSTNAME: '0.0.0.0' },
      { HOSTNAME: 'container-4f2a' },
      { SIGNALBOX_OTLP_HOST: '::' },
    ];
    for (const env of exposed) {
      expect(() => parseConfig(env)).toThrow(ConfigError);
      expect(() => parseConfig(env)).toThrow(/anyone who can reach.*Set SIGNALBOX_AUTH=none/);
    }
    expect(() => parseConfig({ SIGNALBOX_OTLP_HOST: '0.0.0.0' })).toThrow(/SIGNALBOX_OTLP_HOST/);
  });

  it('lets any address through once SIGNALBOX_AUTH=none is set', () => {
    const config = parseConfig({
      SIGNALBOX_AUTH: 'none',
      HOSTNAME: '0.0.0.0',
      SIGNALBOX_OTLP_HOST: '0.0.0.0',
    });
    expect(config.auth).toEqual({ mode: 'none', dashboardHosts: ['127.0.0.1', '0.0.0.0'] });
  });

  it('ignores the OTLP host when the listener is off', () => {
    expect(() => parseConfig({ SIGNALBOX_OTLP_HOST: '0.0.0.0', SIGNALBOX_OTLP_PORT: 'off' })).not.toThrow();
  });

  it('takes only none for now', () => {
    expect(() => parseConfig({ SIGNALBOX_AUTH: 'oidc' })).toThrow(/SIGNALBOX_AUTH="oidc".*OpenID Connect/);
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com']) expect(isLoopback(host)).toBe(false);
  });
});
