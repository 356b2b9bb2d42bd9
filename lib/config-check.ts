import { ConfigError, config } from './config';

/** Validates the configuration at start-up; a bad value prints what to fix and exits. */
export function exitOnBadConfig(): void {
  try {
    config();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}
