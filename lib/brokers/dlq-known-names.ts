import type { DlqSource } from './dlq-types';

/** Most telemetry-hinted names kept per broker (hostile or runaway telemetry cannot grow it further). */
const MAX_HINTED = 1000;

/**
 * DLQ names an adapter checks besides the ones it finds by name or broker settings: the configured
 * ones (SIGNALBOX_DLQ_QUEUES) and the ones Signalbox's dead-letter helpers were seen writing to
 * (their spans carry `signalbox.dlq.destination`), which the service adds before each discovery.
 * Iterable and `includes` like the plain list it replaces.
 */
export class KnownDlqNames implements Iterable<string> {
  private readonly configured: ReadonlySet<string>;
  private readonly hinted = new Set<string>();

  constructor(configured: Iterable<string> = []) {
    this.configured = new Set(configured);
  }

  static of(names: KnownDlqNames | readonly string[]): KnownDlqNames {
    return names instanceof KnownDlqNames ? names : new KnownDlqNames(names);
  }

  hint(names: Iterable<string>): void {
    for (const name of names) {
      if (this.hinted.size >= MAX_HINTED) return;
      if (name && !this.configured.has(name)) this.hinted.add(name);
    }
  }

  includes(name: string): boolean {
    return this.configured.has(name) || this.hinted.has(name);
  }

  /** Why the name is known: configured wins over seen in telemetry; null when it is neither. */
  source(name: string): Extract<DlqSource, 'config' | 'signalbox-header'> | null {
    if (this.configured.has(name)) return 'config';
    return this.hinted.has(name) ? 'signalbox-header' : null;
  }

  [Symbol.iterator](): Iterator<string> {
    return [...this.configured, ...this.hinted][Symbol.iterator]();
  }
}
