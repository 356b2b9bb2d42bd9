import fs from 'node:fs';
import type { z } from 'zod';
import { type AlertsConfig, alertsSection } from './alerts';
import { type AuthConfig, authSection, exposureProblem } from './auth';
import { type BrokerSettings, brokersSection } from './brokers';
import {
  type IngestConfig,
  type StoreConfig,
  type UiConfig,
  ingestSection,
  storeSection,
  uiSection,
} from './dashboard';
import { type DlqConfig, dlqSection } from './dlq';
import { ConfigError } from './errors';
import { isSecretKey } from './fields';
import { type MaskingConfig, maskingSection } from './masking';
import type { Section } from './section';
import { type ConfigSource, type MergedSource, mergeSources } from './source';

export type { AlertsConfig } from './alerts';
export type { AuthConfig, OidcConfig } from './auth';
export type { BrokerSettings, KafkaSettings } from './brokers';
export { redactUrl } from './brokers';
export type { IngestConfig, StoreConfig, UiConfig } from './dashboard';
export type { DlqConfig } from './dlq';
export { ConfigError } from './errors';
export type { MaskingConfig } from './masking';
export type { ConfigSource } from './source';
export type { TlsSettings } from './tls';

/**
 * The whole configuration: every SIGNALBOX_* setting, from the environment or
 * the JSON file SIGNALBOX_CONFIG_FILE names (the environment wins), validated
 * once at start-up (lib/runtime.ts). Keys and defaults are in .env.example.
 */
export interface SignalboxConfig {
  store: StoreConfig;
  ingest: IngestConfig;
  ui: UiConfig;
  brokers: BrokerSettings;
  dlq: DlqConfig;
  masking: MaskingConfig;
  auth: AuthConfig;
  alerts: AlertsConfig;
}

const sections = {
  store: storeSection,
  ingest: ingestSection,
  ui: uiSection,
  brokers: brokersSection,
  dlq: dlqSection,
  masking: maskingSection,
  auth: authSection,
  alerts: alertsSection,
};

/**
 * Parses every section. Throws one ConfigError that names every bad key, the
 * value (never a secret's) and what is expected.
 */
export function loadConfig(
  env: ConfigSource,
  readFile: (path: string) => string = (path) => fs.readFileSync(path, 'utf8'),
): SignalboxConfig {
  const source = mergeSources(env, readFile);
  const problems: string[] = [];
  const parsed = new Map<string, unknown>();
  for (const [name, { schema }] of Object.entries(sections)) {
    const result = schema.safeParse(source.values);
    if (result.success) parsed.set(name, result.data);
    else problems.push(...result.error.issues.map((issue) => describe(issue, source)));
  }
  if (problems.length > 0)
    throw new ConfigError(
      `Invalid configuration: ${problems.join('; ')}. Fix the value or unset it to use the default.`,
    );
  const build = <S extends z.ZodObject, T>(name: string, s: Section<S, T>): T =>
    s.build(parsed.get(name) as z.infer<S>, source);
  const config = {
    store: build('store', sections.store),
    ingest: build('ingest', sections.ingest),
    ui: build('ui', sections.ui),
    brokers: build('brokers', sections.brokers),
    dlq: build('dlq', sections.dlq),
    masking: build('masking', sections.masking),
    auth: build('auth', sections.auth),
    alerts: build('alerts', sections.alerts),
  };
  const exposure = exposureProblem(config.auth, config.ingest);
  if (exposure) throw new ConfigError(exposure);
  if (config.auth.mode === 'oidc' && config.dlq.operatorToken !== null)
    throw new ConfigError(
      'SIGNALBOX_OPERATOR_TOKEN is for dashboards without sign-in, where it is the one credential. With ' +
        'SIGNALBOX_AUTH=oidc, people get roles from the identity provider and automation gets API tokens ' +
        '(an admin creates them under Settings → API tokens): unset SIGNALBOX_OPERATOR_TOKEN.',
    );
  return config;
}

function describe(issue: z.core.$ZodIssue, source: MergedSource): string {
  const key = String(issue.path[0] ?? '');
  const shown = isSecretKey(key) ? '(hidden)' : JSON.stringify(source.values[key] ?? '');
  return `${source.where(key)}=${shown}: ${issue.message}`;
}
