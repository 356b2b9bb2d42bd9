import type { BrokerSettings } from '@/lib/config';
import type { BrokerAdapter } from '@/lib/brokers/lag-types';
import { compileFilter } from '@/lib/brokers/patterns';
import { LAG_BROKERS } from '@/lib/brokers/registry';

/**
 * One lag adapter per configured broker (lib/brokers/registry.ts lists them), each discovering every
 * group/queue it can and keeping those the include/exclude patterns allow.
 */
export function createLagAdapters(settings: BrokerSettings): BrokerAdapter[] {
  const allowed = compileFilter(settings.filter);
  return LAG_BROKERS.flatMap((broker) => broker.lag(settings, allowed) ?? []);
}
