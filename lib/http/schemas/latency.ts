import { z } from 'zod';
import { stepField, text, timeRangeFields } from './fields';

/** GET /api/latency; `compareTo` is read by lib/analytics/time-range.ts (a shift like 1d, or a time). */
export const latencyQuery = z.object({ ...timeRangeFields, compareTo: text(64).optional() });

/** GET /api/latency/series: one pathway's or one edge's percentiles over time. */
export const latencySeriesQuery = z
  .object({
    pathway: text().optional(),
    edge: text(2048).optional(),
    ...timeRangeFields,
    step: stepField,
  })
  .refine((q) => (q.pathway === undefined) !== (q.edge === undefined), {
    message: 'give exactly one of pathway (an id from GET /api/latency) or edge (from GET /api/flows)',
  });
