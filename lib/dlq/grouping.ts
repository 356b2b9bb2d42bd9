import type { DlqMessageView } from './message-view';

/** Failures with one fingerprint (error type + normalised message + top frames), Sentry-style. */
export interface FailureGroup {
  fingerprint: string;
  count: number;
  errorType: string | null;
  /** The message of the newest failure in the group (messages differ only in ids, numbers, ...). */
  errorMessage: string | null;
  reason: string | null;
  /** Original destinations the group's messages failed on. */
  destinations: string[];
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Groups messages by fingerprint, largest group first (then newest). */
export function groupByFingerprint(messages: readonly DlqMessageView[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const m of messages) {
    const f = m.failure;
    const first = f.firstFailedAt ?? f.lastFailedAt ?? m.timestamp;
    const last = f.lastFailedAt ?? m.timestamp;
    let g = groups.get(m.fingerprint);
    if (!g) {
      g = {
        fingerprint: m.fingerprint,
        count: 0,
        errorType: f.errorType,
        errorMessage: f.errorMessage,
        reason: f.reason,
        destinations: [],
        firstSeen: first,
        lastSeen: last,
      };
      groups.set(m.fingerprint, g);
    }
    g.count++;
    if (f.source.destination && !g.destinations.includes(f.source.destination))
      g.destinations.push(f.source.destination);
    if (first && (g.firstSeen === null || first < g.firstSeen)) g.firstSeen = first;
    if (last && (g.lastSeen === null || last > g.lastSeen)) {
      g.lastSeen = last;
      g.errorMessage = f.errorMessage;
    }
  }
  return [...groups.values()].sort(
    (a, b) => b.count - a.count || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''),
  );
}
