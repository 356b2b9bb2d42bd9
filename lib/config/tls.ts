import { z } from 'zod';
import { ConfigError } from './errors';
import { bool } from './fields';
import type { MergedSource } from './source';

/** TLS material, read from the files the *_TLS_* keys name. */
export interface TlsSettings {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
}

/** TLS keys of one broker, e.g. SIGNALBOX_KAFKA_TLS, SIGNALBOX_KAFKA_TLS_CA_FILE. */
export const tlsKeys = (prefix: string) => ({
  [`${prefix}_TLS`]: bool.optional(),
  [`${prefix}_TLS_CA_FILE`]: z.string().min(1).optional(),
  [`${prefix}_TLS_CERT_FILE`]: z.string().min(1).optional(),
  [`${prefix}_TLS_KEY_FILE`]: z.string().min(1).optional(),
  [`${prefix}_TLS_REJECT_UNAUTHORIZED`]: bool.default(true),
});

/**
 * The TLS settings of one broker from its *_TLS_* keys (already validated), reading the files they
 * name; null when TLS is off (`on` is the default, e.g. true for amqps:// URLs).
 */
export function readTls(
  raw: Record<string, unknown>,
  prefix: string,
  on: boolean,
  source: Pick<MergedSource, 'readFile' | 'where'>,
): TlsSettings | null {
  const enabled = (raw[`${prefix}_TLS`] as boolean | undefined) ?? on;
  if (!enabled) return null;
  const file = (suffix: string) => {
    const key = `${prefix}_TLS_${suffix}_FILE`;
    const path = raw[key] as string | undefined;
    if (path === undefined) return undefined;
    try {
      return source.readFile(path);
    } catch (error) {
      throw new ConfigError(
        `${source.where(key)}=${JSON.stringify(path)}: cannot read it (${(error as Error).message}).`,
      );
    }
  };
  return {
    ca: file('CA'),
    cert: file('CERT'),
    key: file('KEY'),
    rejectUnauthorized: raw[`${prefix}_TLS_REJECT_UNAUTHORIZED`] as boolean,
  };
}
