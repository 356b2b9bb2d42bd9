import { z } from 'zod';
import { UnavailableError } from '@/lib/http/errors';

/**
 * DLQ and operator settings from the environment (to be merged into lib/config.ts, which another
 * engineer owns). A bad value fails with a message naming the key and the fix.
 */
const schema = z.object({
  SIGNALBOX_OPERATOR_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? null : v.trim()))
    .refine((v) => v === null || v.length >= 16, {
      message:
        'use at least 16 characters (e.g. `openssl rand -hex 24`), or leave it empty to disable replays',
    }),
  SIGNALBOX_DLQ_QUEUES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((items) => items.every((i) => /^[a-z_]+:.+$/.test(i)), {
      message: 'expected system:name[,system:name...], e.g. rabbitmq:payments.dlq,kafka:orders.DLT',
    })
    .transform((items) =>
      items.map((i) => ({ system: i.slice(0, i.indexOf(':')), name: i.slice(i.indexOf(':') + 1) })),
    ),
  SIGNALBOX_DLQ_MAX_REPLAYS: z.coerce.number().int().min(1).max(100).default(3),
  SIGNALBOX_DLQ_BROWSE_LIMIT: z.coerce.number().int().min(10).max(100_000).default(10_000),
  SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(0),
});

export interface DlqConfig {
  /** Required as `Authorization: Bearer …` by mutating DLQ endpoints; null = they are disabled. */
  operatorToken: string | null;
  /** DLQs listed explicitly, besides the ones found by name. */
  queues: { system: string; name: string }[];
  /** Poison guard: a message replayed this many times that failed again is not replayed again. */
  maxReplays: number;
  /** Most messages read from one DLQ for a view or a dry run. */
  browseLimit: number;
  /** Archive mode: copy every DLQ into the store this often (ms); 0 = off. */
  archiveIntervalMs: number;
}

export class DlqConfigError extends UnavailableError {
  override name = 'DlqConfigError';
}

export function parseDlqConfig(env: Record<string, string | undefined>): DlqConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `${key}=${key.endsWith('_TOKEN') ? '(hidden)' : JSON.stringify(env[key] ?? '')}: ${i.message}`;
    });
    throw new DlqConfigError(`Invalid DLQ configuration: ${problems.join('; ')}.`);
  }
  const d = result.data;
  return {
    operatorToken: d.SIGNALBOX_OPERATOR_TOKEN,
    queues: d.SIGNALBOX_DLQ_QUEUES,
    maxReplays: d.SIGNALBOX_DLQ_MAX_REPLAYS,
    browseLimit: d.SIGNALBOX_DLQ_BROWSE_LIMIT,
    archiveIntervalMs: d.SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS * 1000,
  };
}
