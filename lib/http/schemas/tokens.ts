import { z } from 'zod';
import { ROLES } from '@/lib/model/access';

/** POST /api/tokens: what the token may do, where, and for how long. */
export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  systems: z.array(z.string().trim().min(1).max(50)).min(1).max(20).optional(),
  destinations: z.array(z.string().trim().min(1).max(200)).min(1).max(50).optional(),
  expiresInDays: z.number().int().min(1).max(366).default(90),
});
