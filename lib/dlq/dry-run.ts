import { REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import { replayId } from '@/lib/brokers/replay-id';
import type { DlqMessageView } from './message-view';
import { isBookkeepingHeader, replayHeaders } from './replay-headers';

export interface DryRun {
  dryRun: true;
  messages: number;
  targets: Record<string, number>;
  poison: number;
  skipped: number;
  /** Header changes (the same for every message up to the values): names removed, and added. */
  headerDiff: { removed: string[]; added: Record<string, string> };
  /** The DLQ held more messages than were read: the count covers those read. */
  truncated: boolean;
}

/**
 * What a replay of `chosen` would do, without doing it: how many go where, how many the poison guard
 * holds back, how many lack a target, and how the headers change.
 */
export function dryRun(
  chosen: readonly DlqMessageView[],
  options: { target: string | null; dlq: string | null; maxReplays: number; truncated: boolean },
): DryRun {
  const result: DryRun = {
    dryRun: true,
    messages: 0,
    targets: {},
    poison: 0,
    skipped: 0,
    headerDiff: { removed: [], added: {} },
    truncated: options.truncated,
  };
  const removed = new Set<string>();
  for (const m of chosen) {
    const to = options.target ?? m.failure.source.destination;
    const previous = m.failure.replay?.count ?? 0;
    if (m.notReplayable) result.skipped++;
    else if (previous >= options.maxReplays) result.poison++;
    else if (!to || to === options.dlq) result.skipped++;
    else {
      result.messages++;
      result.targets[to] = (result.targets[to] ?? 0) + 1;
      const diff = replayHeaders(m.headers, replayId('dry-run', m.id), previous);
      for (const n of diff.removed) removed.add(n);
    }
  }
  if (result.messages > 0) {
    result.headerDiff.added = {
      [REPLAY_HEADERS.id]: '(one per message and job: a resent duplicate carries the same id)',
      [REPLAY_HEADERS.count]: '(times replayed before + 1)',
      traceparent: '(a new trace, linked to the original)',
    };
  }
  result.headerDiff.removed = [...removed].filter(isBookkeepingHeader).sort();
  return result;
}
