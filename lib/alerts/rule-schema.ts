import { z } from 'zod';
import { ALERT_KINDS, type AlertRule, SEVERITIES, alertRule } from './rule';

/*
 * One alert rule as people write it, in the rules file (SIGNALBOX_ALERT_RULES_FILE) and in the
 * API that adds rules from the Alerts page: the same keys, defaults and messages in both.
 */

const LAG_STATUSES = ['WARN', 'STALL', 'STOP', 'REWIND', 'ERR'] as const;

/** Seconds, as a number or `30s`, `5m`, `2h`. */
const duration = z.union(
  [
    z.number().min(0),
    z
      .string()
      .regex(/^\d+(\.\d+)?\s*(s|m|h)$/, 'expected seconds, or a duration like 30s, 5m or 2h')
      .transform((text) => {
        const value = Number.parseFloat(text);
        return value * { s: 1, m: 60, h: 3600 }[text.trim().slice(-1) as 's' | 'm' | 'h'];
      }),
  ],
  { error: 'expected seconds, or a duration like 30s, 5m or 2h' },
);

/** The kind that reads each of these keys (window: every windowed kind). */
const KEY_KIND = { percentile: 'latency', of: 'latency', minMessages: 'error-ratio' } as Record<
  string,
  string
>;

export const ruleInput = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lower-case letters, digits and dashes'),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(ALERT_KINDS),
    system: z.string().min(1).optional(),
    destination: z.string().min(1).optional(),
    group: z.string().min(1).optional(),
    threshold: z.number().min(0).optional(),
    statuses: z.array(z.enum(LAG_STATUSES)).min(1).optional(),
    window: duration.optional(),
    percentile: z.union([z.literal(95), z.literal(99)]).optional(),
    of: z.enum(['pathway', 'edge']).optional(),
    minMessages: z.number().int().min(1).optional(),
    for: duration.default(0),
    resolveAfter: duration.default(60),
    severity: z.enum(SEVERITIES).default('warning'),
    labels: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === 'lag-status' && r.threshold !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: 'lag-status takes statuses, not a threshold',
      });
    const thresholdless = r.kind === 'no-traffic' || r.kind === 'unroutable';
    if (thresholdless && r.threshold !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: `${r.kind} takes a window, not a threshold`,
      });
    if (r.kind !== 'lag-status' && !thresholdless && r.threshold === undefined)
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: `required for ${r.kind}` });
    if (r.kind === 'dlq-depth' && r.group !== undefined)
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'a dead-letter queue has no consumer group' });
    if (r.kind === 'error-ratio' && r.threshold !== undefined && r.threshold > 1)
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a ratio: 0.05 is 5 %' });
    const windowed = ['latency', 'error-ratio', 'no-traffic', 'unroutable'].includes(r.kind);
    for (const key of ['window', 'percentile', 'of', 'minMessages'] as const)
      if (r[key] !== undefined && !(windowed && (key === 'window' || r.kind === KEY_KIND[key])))
        ctx.addIssue({ code: 'custom', path: [key], message: `not used by ${r.kind}` });
  });

export type RuleInput = z.infer<typeof ruleInput>;

/** The rule a validated input describes, with the defaults for what it leaves out. */
export function toRule(r: RuleInput): AlertRule {
  return alertRule({
    id: r.id,
    name: r.name,
    kind: r.kind,
    scope: { system: r.system ?? null, destination: r.destination ?? null, group: r.group ?? null },
    threshold: r.threshold ?? null,
    ...(r.statuses && { statuses: r.statuses }),
    ...(r.window !== undefined && { windowSeconds: r.window }),
    ...(r.percentile && { percentile: r.percentile }),
    ...(r.of && { of: r.of }),
    ...(r.minMessages && { minMessages: r.minMessages }),
    forSeconds: r.for,
    resolveAfterSeconds: r.resolveAfter,
    severity: r.severity,
    labels: r.labels,
  });
}
