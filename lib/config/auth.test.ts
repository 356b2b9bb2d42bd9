import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '.';
import { isLoopback } from './auth';

const parseConfig = (env: Record<string, string>) => loadConfig(env, () => '');

describe('access control and where the dashboard listens', () => {
  it('listens on loopback only by default, with no access control configured', () => {
    const config = parseConfig({});
    expect(config.auth).toEqual({ mode: null, dashboardHosts: ['127.0.0.1'], trustProxy: false, oidc: null });
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
      expect(() => parseConfig(env)).toThrow(
        /anyone who can reach.*SIGNALBOX_AUTH=oidc.*set SIGNALBOX_AUTH=none/,
      );
    }
    expect(() => parseConfig({ SIGNALBOX_OTLP_HOST: '0.0.0.0' })).toThrow(/SIGNALBOX_OTLP_HOST/);
  });

  it('lets any address through once SIGNALBOX_AUTH=none is set', () => {
    const config = parseConfig({
      SIGNALBOX_AUTH: 'none',
      HOSTNAME: '0.0.0.0',
      SIGNALBOX_OTLP_HOST: '0.0.0.0',
      SIGNALBOX_TRUST_PROXY: 'true',
    });
    expect(config.auth).toEqual({
      mode: 'none',
      dashboardHosts: ['127.0.0.1', '0.0.0.0'],
      trustProxy: true,
      oidc: null,
    });
  });

  it('ignores the OTLP host when both listeners are off, and only then', () => {
    const exposed = { SIGNALBOX_OTLP_HOST: '0.0.0.0', SIGNALBOX_OTLP_PORT: 'off' };
    expect(() => parseConfig(exposed)).toThrow(/the OTLP listeners on 0\.0\.0\.0/);
    expect(() => parseConfig({ ...exposed, SIGNALBOX_OTLP_GRPC_PORT: 'off' })).not.toThrow();
  });

  it('takes oidc or none', () => {
    expect(() => parseConfig({ SIGNALBOX_AUTH: 'ldap' })).toThrow(
      /SIGNALBOX_AUTH="ldap".*expected oidc.*or none/,
    );
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com']) expect(isLoopback(host)).toBe(false);
  });
});

describe('sign-in with OpenID Connect', () => {
  const oidc = {
    SIGNALBOX_AUTH: 'oidc',
    SIGNALBOX_OIDC_ISSUER: 'https://login.example.com/realms/acme',
    SIGNALBOX_OIDC_CLIENT_ID: 'signalbox',
    SIGNALBOX_OIDC_CLIENT_SECRET: 'a-client-secret',
    SIGNALBOX_PUBLIC_URL: 'https://signalbox.example.com',
  };

  it('may listen on any address, with secure cookies behind an https public URL and default group names', () => {
    const config = parseConfig({ ...oidc, HOSTNAME: '0.0.0.0' });
    expect(config.auth.mode).toBe('oidc');
    expect(config.auth.oidc).toMatchObject({
      clientId: 'signalbox',
      clientSecret: 'a-client-secret',
      rolesClaim: 'groups',
      providerName: 'login.example.com',
      secureCookies: true,
      sessionCheckMs: 60_000,
      scopes: 'openid profile email',
    });
    expect(config.auth.oidc?.roleMap['signalbox-operators']).toEqual([
      { role: 'operator', systems: null, destinations: null },
    ]);
  });

  it('maps groups to limited roles from SIGNALBOX_OIDC_ROLE_MAP', () => {
    const config = parseConfig({
      ...oidc,
      SIGNALBOX_OIDC_ROLE_MAP: JSON.stringify({
        'payments-operators': { role: 'operator', destinations: ['payments.*'] },
        sre: ['admin'],
      }),
    });
    expect(config.auth.oidc?.roleMap).toEqual({
      'payments-operators': [{ role: 'operator', systems: null, destinations: ['payments.*'] }],
      sre: [{ role: 'admin', systems: null, destinations: null }],
    });
  });

  it('names each missing or bad sign-in key, and refuses the operator token beside sign-in', () => {
    expect(() => parseConfig({ SIGNALBOX_AUTH: 'oidc' })).toThrow(
      /SIGNALBOX_OIDC_ISSUER.*required with SIGNALBOX_AUTH=oidc.*SIGNALBOX_OIDC_CLIENT_ID.*SIGNALBOX_PUBLIC_URL/,
    );
    expect(() => parseConfig({ ...oidc, SIGNALBOX_OIDC_ISSUER: 'http://idp.example.com' })).toThrow(
      /use https/,
    );
    expect(() =>
      parseConfig({ ...oidc, SIGNALBOX_OIDC_ISSUER: 'http://127.0.0.1:8180/realms/x' }),
    ).not.toThrow();
    expect(() => parseConfig({ ...oidc, SIGNALBOX_OIDC_ROLE_MAP: '{"a":"root"}' })).toThrow(
      /SIGNALBOX_OIDC_ROLE_MAP.*expected a JSON object/,
    );
    expect(() => parseConfig({ ...oidc, SIGNALBOX_OPERATOR_TOKEN: 'x'.repeat(20) })).toThrow(/API tokens/);
  });
});
