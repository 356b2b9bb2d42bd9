import 'server-only';
import { getLagPoller } from '@/lib/runtime';
import type { LagSnapshot } from '@/lib/lag/types';

/**
 * The latest lag snapshot for pages that show lag beside other data, or null
 * when lag is not available (no broker configured, or bad broker settings —
 * the Lag page itself explains which). Never waits on a broker: the poller
 * answers from its last poll.
 */
export async function latestLag(): Promise<LagSnapshot | null> {
  try {
    return (await getLagPoller()).latest();
  } catch {
    return null;
  }
}
