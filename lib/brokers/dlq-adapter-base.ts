import { browseWithSession } from './dlq-browse-session';
import { KnownDlqNames } from './dlq-known-names';
import type {
  BrokerSystem,
  BrowseResult,
  DlqAdapter,
  DlqQueueInfo,
  DlqSession,
  OpenOptions,
} from './dlq-types';

/**
 * What every broker's DlqAdapter (lib/brokers/<system>/dlq.ts) has in common: the address it shows,
 * the DLQ names it checks besides its broker's own conventions, and browsing as a replay pass that is
 * closed after reading (a broker that can read without a pass, like Redis's XRANGE, overrides it).
 */
export abstract class DlqAdapterBase implements DlqAdapter {
  abstract readonly system: BrokerSystem;
  protected readonly configured: KnownDlqNames;

  constructor(
    readonly address: string,
    /** A plain list is the configured names alone (tests); the registry passes the service's KnownDlqNames. */
    configured: KnownDlqNames | readonly string[],
  ) {
    this.configured = KnownDlqNames.of(configured);
  }

  async browse(queue: string, limit: number): Promise<BrowseResult> {
    return browseWithSession(await this.open(queue, { jobId: 'browse', cursor: null }), limit);
  }

  abstract discover(): Promise<DlqQueueInfo[]>;
  abstract open(queue: string, options: OpenOptions): Promise<DlqSession>;
  abstract purge(queue: string): Promise<number | null>;
  abstract close(): Promise<void>;
}
