import type { BrokerSettings } from '@/lib/config';
import { KnownDlqNames } from '@/lib/brokers/dlq-known-names';
import type { DlqAdapter, BrokerSystem } from '@/lib/brokers/dlq-types';
import { DLQ_BROKERS } from '@/lib/brokers/registry';

/**
 * One DLQ adapter per configured broker (lib/brokers/registry.ts lists them). `known` holds each
 * system's configured DLQ names; names seen in telemetry are added to it later (KnownDlqNames.hint).
 */
export function createDlqAdapters(
  settings: BrokerSettings,
  configured: readonly { system: string; name: string }[],
): { adapters: DlqAdapter[]; known: Map<BrokerSystem, KnownDlqNames> } {
  const known = new Map<BrokerSystem, KnownDlqNames>();
  const names = (system: BrokerSystem) => {
    const list = new KnownDlqNames(configured.filter((c) => c.system === system).map((c) => c.name));
    known.set(system, list);
    return list;
  };
  const adapters = DLQ_BROKERS.flatMap((broker) => broker.dlq(settings, () => names(broker.system)) ?? []);
  return { adapters, known };
}
