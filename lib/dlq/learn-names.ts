import type { KnownDlqNames } from '@/lib/brokers/dlq-known-names';
import type { BrokerSystem } from '@/lib/brokers/dlq-types';
import type { TelemetryStore } from '@/lib/store/types';

/** How far back dead-letter spans are read for DLQ names (the store's retention may be shorter). */
const LOOKBACK_US = 7 * 24 * 3600 * 1_000_000;
/** Newest dead-letter spans read per discovery: enough to see every DLQ of a busy system. */
const SPANS = 2000;

/**
 * Discovery by Signalbox's own header: the dead-letter helpers record, on their `dead_letter`
 * span, the DLQ they wrote to (`signalbox.dlq.destination`). Those names are added to each broker's
 * known names, so a DLQ with any name is listed (source `signalbox-header`) once a service
 * dead-lettered into it.
 */
export async function learnDlqNames(
  telemetry: () => Promise<TelemetryStore>,
  known: ReadonlyMap<BrokerSystem, KnownDlqNames>,
  nowUs = Date.now() * 1000,
): Promise<void> {
  const targets = await (
    await telemetry()
  ).deadLetterTargets({ fromUs: nowUs - LOOKBACK_US, toUs: nowUs + 1 }, SPANS);
  for (const { system, name } of targets) known.get(system as BrokerSystem)?.hint([name]);
}

/** How often the store is read for DLQ names; discovery runs on every page view. */
const LEARN_EVERY_MS = 30_000;

/** `learnDlqNames` at most once per LEARN_EVERY_MS, for the service's discovery hook. */
export function dlqNameLearner(
  telemetry: () => Promise<TelemetryStore>,
  known: ReadonlyMap<BrokerSystem, KnownDlqNames>,
): () => Promise<void> {
  let lastMs = -Infinity;
  return async () => {
    if (Date.now() - lastMs < LEARN_EVERY_MS) return;
    lastMs = Date.now();
    await learnDlqNames(telemetry, known);
  };
}
