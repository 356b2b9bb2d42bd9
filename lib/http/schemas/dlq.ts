import { z } from 'zod';
import { filterSchema } from '@/lib/dlq/filter';
import { replayRequestSchema } from '@/lib/dlq/service';
import { wholeNumber } from './fields';

/** GET /api/dlq/{id}/messages: the filter's fields; other parameters (the page's own) are ignored. */
export const dlqMessagesQuery = z.object(filterSchema.shape);

/** GET /api/dlq/{id}/archive */
export const dlqArchiveQuery = z.object({
  gone: z.enum(['0', '1'], { error: 'must be 1 (only messages gone from the queue) or 0' }).optional(),
  limit: wholeNumber({ min: 1, max: 10_000, fallback: 200 }),
});

/** POST /api/dlq/{id}/replay */
export const dlqReplayBody = replayRequestSchema;

/** POST /api/dlq/{id}/purge: the service checks `confirm` is the queue's name, and says which. */
export const dlqPurgeBody = z.object({ confirm: z.string().max(1000).optional() });
