import { UnavailableError } from '@/lib/http/errors';
/**
 * Where broker settings come from besides the environment: the JSON file SIGNALBOX_CONFIG_FILE names,
 * and the certificate files the *_TLS_*_FILE keys name. Errors name the key and the file.
 */

export type ConfigSource = Record<string, string | undefined>;

/** TLS material, read from the files the *_TLS_* keys name. */
export interface TlsSettings {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
}

export class BrokerConfigError extends UnavailableError {
  override name = 'BrokerConfigError';
}

/** The file's keys as strings (numbers, booleans and arrays of strings are accepted and stringified). */
export function readConfigFile(path: string, readFile: (path: string) => string): ConfigSource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (error) {
    throw new BrokerConfigError(
      `SIGNALBOX_CONFIG_FILE=${JSON.stringify(path)}: cannot read it as JSON (${(error as Error).message}). Fix the file or unset the key.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BrokerConfigError(
      `SIGNALBOX_CONFIG_FILE=${JSON.stringify(path)}: expected a JSON object of "SIGNALBOX_…": value pairs.`,
    );
  }
  const out: ConfigSource = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = String(value);
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      out[key] = value.join(',');
    } else {
      throw new BrokerConfigError(
        `${key} (in ${path}): expected a string, number, boolean or list of strings.`,
      );
    }
  }
  return out;
}

/**
 * The TLS settings of one broker from its *_TLS_* keys (already validated), reading the files they
 * name; null when TLS is off (`on` is the default, e.g. true for amqps:// URLs).
 */
export function readTls(
  raw: Record<string, unknown>,
  prefix: string,
  on: boolean,
  readFile: (path: string) => string,
  where: (key: string) => string,
): TlsSettings | null {
  const r = raw;
  const enabled = (r[`${prefix}_TLS`] as boolean | undefined) ?? on;
  if (!enabled) return null;
  const file = (suffix: string) => {
    const key = `${prefix}_TLS_${suffix}_FILE`;
    const path = r[key] as string | undefined;
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      throw new BrokerConfigError(
        `${where(key)}=${JSON.stringify(path)}: cannot read it (${(error as Error).message}).`,
      );
    }
  };
  return {
    ca: file('CA'),
    cert: file('CERT'),
    key: file('KEY'),
    rejectUnauthorized: r[`${prefix}_TLS_REJECT_UNAUTHORIZED`] as boolean,
  };
}
