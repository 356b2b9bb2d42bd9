import { UnavailableError } from '@/lib/http/errors';

/**
 * A setting is missing or wrong. The message names the key, where it came from
 * (the environment or the SIGNALBOX_CONFIG_FILE file) and what is expected. At
 * start-up it stops the dashboard; a page or route that meets it answers 503.
 */
export class ConfigError extends UnavailableError {
  override name = 'ConfigError';
}
