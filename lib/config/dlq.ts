import { z } from 'zod';
import { int, secret } from './fields';
import { section } from './section';

/** Dead-letter settings: which DLQs besides the ones found by name, and what operators may do. */

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

export const dlqSection = section(
  z.object({
    SIGNALBOX_OPERATOR_TOKEN: secret('to disable replays'),
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
    SIGNALBOX_DLQ_MAX_REPLAYS: int(1, 100, 3),
    SIGNALBOX_DLQ_BROWSE_LIMIT: int(10, 100_000, 10_000),
    SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS: int(0, 86_400, 0),
  }),
  (d): DlqConfig => ({
    operatorToken: d.SIGNALBOX_OPERATOR_TOKEN,
    queues: d.SIGNALBOX_DLQ_QUEUES,
    maxReplays: d.SIGNALBOX_DLQ_MAX_REPLAYS,
    browseLimit: d.SIGNALBOX_DLQ_BROWSE_LIMIT,
    archiveIntervalMs: d.SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS * 1000,
  }),
);
