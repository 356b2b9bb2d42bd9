import { z } from 'zod';

/** POST /api/alerts/silences: hold back one rule's (or every rule's) notifications for a while. */
export const createSilenceBody = z.object({
  ruleId: z.string().trim().min(1).max(100).optional(),
  /** A subject or a glob over subjects (`kafka:orders#*`); absent: every subject. */
  subject: z.string().trim().min(1).max(500).optional(),
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  reason: z.string().trim().min(1, 'say why, for whoever sees the silence').max(500),
});

/** POST /api/alerts/acknowledgements: someone is on this firing alert. */
export const acknowledgeBody = z.object({
  ruleId: z.string().trim().min(1).max(100),
  subject: z.string().trim().min(1).max(500),
});
