import { z } from 'zod';
import { timeRangeFields, wholeNumber } from './fields';

/**
 * `system`, `destination` and `group` name one consumer group; lib/lag/views.ts (parseGroupKey)
 * checks they come together and that the system is one Signalbox polls. Not trimmed: a broker's
 * names may hold spaces.
 */
const groupKeyFields = {
  system: z.string().max(32).optional(),
  destination: z.string().max(1000).optional(),
  group: z.string().max(1000).optional(),
};

/** GET /api/lag */
export const lagQuery = z.object(groupKeyFields);

/** GET /api/lag/history: `points` bounds how many steps the window is cut into. */
export const lagHistoryQuery = z.object({
  ...timeRangeFields,
  ...groupKeyFields,
  points: wholeNumber({ min: 2, max: 2000, fallback: 240 }),
});
