import { destinationMatches } from '@/lib/model/access';
import type { AlertSilence } from './alert-store';

/** The silence that holds back an alert's notifications, if any (the one that runs longest). */
export function silenceOf(
  silences: readonly AlertSilence[],
  ruleId: string,
  subject: string,
  nowMs: number,
): AlertSilence | null {
  const matching = silences.filter(
    (s) =>
      s.endsMs > nowMs &&
      (s.ruleId === null || s.ruleId === ruleId) &&
      (s.subject === null || destinationMatches(s.subject, subject)),
  );
  return matching.sort((a, b) => b.endsMs - a.endsMs)[0] ?? null;
}
