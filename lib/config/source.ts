import { ConfigError } from './errors';

/**
 * Where settings come from: the environment, and the same keys in the JSON
 * file SIGNALBOX_CONFIG_FILE names (the environment wins). Errors name the key
 * and, for a key from the file, the file.
 */

export type ConfigSource = Record<string, string | undefined>;

export interface MergedSource {
  values: ConfigSource;
  /** The key as an error should name it: `KEY`, or `KEY (in /etc/signalbox.json)`. */
  where(key: string): string;
  readFile(path: string): string;
}

export function mergeSources(env: ConfigSource, readFile: (path: string) => string): MergedSource {
  const filePath = env.SIGNALBOX_CONFIG_FILE;
  const fromFile = filePath ? readConfigFile(filePath, readFile) : {};
  const values: ConfigSource = { ...fromFile };
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && value !== '') values[key] = value;
  return {
    values,
    where: (key) => (env[key] === undefined && key in fromFile ? `${key} (in ${filePath})` : key),
    readFile,
  };
}

/** The file's keys as strings (numbers, booleans and arrays of strings are accepted and stringified). */
function readConfigFile(path: string, readFile: (path: string) => string): ConfigSource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (error) {
    throw new ConfigError(
      `SIGNALBOX_CONFIG_FILE=${JSON.stringify(path)}: cannot read it as JSON (${(error as Error).message}). Fix the file or unset the key.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(
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
      throw new ConfigError(`${key} (in ${path}): expected a string, number, boolean or list of strings.`);
    }
  }
  return out;
}
