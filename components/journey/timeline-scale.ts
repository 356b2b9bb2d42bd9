import type { Journey } from '@/lib/analytics/journey-model';

/** Maps times to percentages of the journey's width, for a CSS-positioned timeline. Pure. */
export function timelineScale(journey: Pick<Journey, 'startedAt' | 'endedAt'>) {
  const start = Date.parse(journey.startedAt);
  const span = Math.max(1, Date.parse(journey.endedAt) - start);
  const pct = (ms: number) => Math.min(100, Math.max(0, (ms / span) * 100));
  return {
    /** Left edge of something that starts at `iso`. */
    left: (iso: string) => pct(Date.parse(iso) - start),
    /** Width of something lasting `ms`, never thinner than a visible sliver. */
    width: (ms: number) => Math.max(0.4, pct(ms)),
  };
}
