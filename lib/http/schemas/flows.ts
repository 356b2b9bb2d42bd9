import { z } from 'zod';
import { requiredText, stepField, timeRangeFields } from './fields';

/** GET /api/flows */
export const flowsQuery = z.object(timeRangeFields);

/** GET /api/flows/series: one edge over time. Edge ids join node ids, so they run long. */
export const edgeSeriesQuery = z.object({
  edge: requiredText('an edge id from GET /api/flows', 2048),
  ...timeRangeFields,
  step: stepField,
});
