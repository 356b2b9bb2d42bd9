import { z } from 'zod';
import { timeRangeFields } from './fields';

/** GET /api/anomalies */
export const anomaliesQuery = z.object(timeRangeFields);
