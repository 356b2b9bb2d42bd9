import { z } from 'zod';
import { requiredText, text } from './fields';

/** GET /api/journeys: a journey is looked up by exactly one kind of id. */
export const journeyQuery = z
  .object({
    traceId: z
      .string()
      .trim()
      .regex(
        /^[0-9a-fA-F]{32}$/,
        'must be 32 hex characters (for any other id use messageId, or GET /api/search?q=)',
      )
      .optional(),
    messageId: text().optional(),
    conversationId: text().optional(),
  })
  .refine((q) => [q.traceId, q.messageId, q.conversationId].filter((id) => id !== undefined).length === 1, {
    message: 'give exactly one of traceId, messageId or conversationId',
  });

/** GET /api/search */
export const searchQuery = z.object({
  q: requiredText('a trace id, message id or conversation id'),
});
