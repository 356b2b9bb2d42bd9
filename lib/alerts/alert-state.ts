import type { Observation } from './observe';
import type { AlertRule } from './rule';

/*
 * An alert's life, per rule and subject: breaching starts it `pending`; a
 * breach lasting the rule's for-duration makes it `firing` (notified); once
 * firing, it resolves (notified) only after the value has stayed within
 * bounds for resolveAfterSeconds. A pending alert whose breach ends is
 * dropped without a word. Pure: the evaluator persists what this returns.
 */

export type AlertPhase = 'pending' | 'firing';

export interface AlertState {
  ruleId: string;
  subject: string;
  phase: AlertPhase;
  /** When the current breach began. */
  breachSinceMs: number;
  firedAtMs: number | null;
  /** While firing and back within bounds: since when (the hysteresis clock); null while breaching. */
  clearSinceMs: number | null;
  value: string;
  href: string;
  /** Who acknowledged the firing alert (someone is on it), and when; cleared when it resolves. */
  ackedBy: string | null;
  ackedMs: number | null;
}

export interface AlertEvent {
  type: 'firing' | 'resolved';
  atMs: number;
  state: AlertState;
}

export interface Step {
  /** The state to keep; null once the alert is over (or never fired). */
  next: AlertState | null;
  event: AlertEvent | null;
}

/** One evaluation of one subject. `observation` is undefined when the subject is gone (a deleted group). */
export function step(
  rule: AlertRule,
  previous: AlertState | null,
  observation: Observation | undefined,
  subject: string,
  nowMs: number,
): Step {
  if (observation?.breaching) {
    const since = previous?.breachSinceMs ?? nowMs;
    const base = {
      ruleId: rule.id,
      subject,
      value: observation.value,
      href: observation.href,
      ackedBy: previous?.ackedBy ?? null,
      ackedMs: previous?.ackedMs ?? null,
    };
    if (previous?.phase === 'firing')
      return { next: { ...previous, ...base, clearSinceMs: null }, event: null };
    if (nowMs - since >= rule.forSeconds * 1000) {
      const next: AlertState = {
        ...base,
        phase: 'firing',
        breachSinceMs: since,
        firedAtMs: nowMs,
        clearSinceMs: null,
      };
      return { next, event: { type: 'firing', atMs: nowMs, state: next } };
    }
    return {
      next: { ...base, phase: 'pending', breachSinceMs: since, firedAtMs: null, clearSinceMs: null },
      event: null,
    };
  }
  if (previous === null || previous.phase === 'pending') return { next: null, event: null };
  const clearSince = previous.clearSinceMs ?? nowMs;
  const current = { ...previous, clearSinceMs: clearSince, value: observation?.value ?? previous.value };
  if (nowMs - clearSince >= rule.resolveAfterSeconds * 1000)
    return { next: null, event: { type: 'resolved', atMs: nowMs, state: current } };
  return { next: current, event: null };
}
