import { describe, expect, it } from 'vitest';
import { type AlertState, step } from './alert-state';
import type { Observation } from './observe';
import { alertRule } from './rule';

const rule = alertRule({
  id: 'billing-behind',
  name: 'Billing is behind',
  kind: 'lag-seconds',
  scope: { system: 'kafka', destination: 'orders', group: 'billing' },
  threshold: 60,
  forSeconds: 30,
  resolveAfterSeconds: 20,
  severity: 'critical',
  labels: {},
});
const subject = 'kafka:orders#billing';
const seen = (breaching: boolean, value = breaching ? '90 s' : '10 s'): Observation => ({
  subject,
  breaching,
  value,
  href: '/lag?group=billing',
});

/** Runs observations at the given seconds; returns the events and the last state. */
function run(timeline: [number, Observation | undefined][]) {
  let state: AlertState | null = null;
  const events: string[] = [];
  for (const [second, observation] of timeline) {
    const { next, event } = step(rule, state, observation, subject, second * 1000);
    if (event) events.push(`${event.type}@${second}`);
    state = next;
  }
  return { events, state };
}

describe('alert state: pending, firing, resolved with hysteresis', () => {
  it('fires once the breach has lasted the for-duration, not before', () => {
    const { events, state } = run([
      [0, seen(true)],
      [15, seen(true)],
      [29, seen(true)],
      [30, seen(true)],
      [45, seen(true)],
    ]);
    expect(events).toEqual(['firing@30']);
    expect(state).toMatchObject({ phase: 'firing', breachSinceMs: 0, firedAtMs: 30_000, value: '90 s' });
  });

  it('drops a pending alert whose breach ends, without a notification', () => {
    const { events, state } = run([
      [0, seen(true)],
      [20, seen(false)],
      [25, seen(true)],
      [50, seen(true)],
    ]);
    // The breach restarted at 25: 30 s later is 55, so nothing fired yet.
    expect(events).toEqual([]);
    expect(state).toMatchObject({ phase: 'pending', breachSinceMs: 25_000 });
  });

  it('does not resolve while the value hovers at the threshold, then resolves once it stays back', () => {
    const { events, state } = run([
      [0, seen(true)],
      [30, seen(true)],
      [40, seen(false)],
      [50, seen(true)], // back over within 20 s: still the same firing alert
      [60, seen(false)],
      [75, seen(false)],
      [80, seen(false)],
    ]);
    expect(events).toEqual(['firing@30', 'resolved@80']);
    expect(state).toBeNull();
  });

  it('fires at once with a zero for-duration, and resolves a subject that disappeared', () => {
    let state: AlertState | null = null;
    const first = step({ ...rule, forSeconds: 0 }, state, seen(true), subject, 0);
    expect(first.event?.type).toBe('firing');
    state = first.next;
    expect(step(rule, state, undefined, subject, 5_000).event).toBeNull();
    const gone = step(rule, step(rule, state, undefined, subject, 5_000).next, undefined, subject, 25_000);
    expect(gone).toMatchObject({ next: null, event: { type: 'resolved', state: { value: '90 s' } } });
  });
});
