import { BrokerConfigError, parseBrokerConfig } from './brokers/config';
import { ConfigError, config } from './config';
import { DlqConfigError, parseDlqConfig } from './dlq/config';

/**
 * Validates every setting at start-up — the dashboard's own, the brokers' (lag and DLQ) and the
 * DLQ/operator ones — so a bad value stops the dashboard with what to fix, instead of surfacing
 * later as a broken page.
 */
export function exitOnBadConfig(): void {
  const problems: string[] = [];
  for (const check of [
    () => config(),
    () => parseBrokerConfig(process.env),
    () => parseDlqConfig(process.env),
  ]) {
    try {
      check();
    } catch (error) {
      if (!(
        error instanceof ConfigError ||
        error instanceof BrokerConfigError ||
        error instanceof DlqConfigError
      ))
        throw error;
      problems.push(error.message);
    }
  }
  if (problems.length === 0) return;
  console.error(`\n${problems.join('\n\n')}\n`);
  process.exit(1);
}
