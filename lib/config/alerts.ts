import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AlertChannel } from '@/lib/alerts/channels';
import { ALERT_KINDS, type AlertRule, SEVERITIES, alertRule } from '@/lib/alerts/rule';
import { ConfigError } from './errors';
import { int, secret, url } from './fields';
import { section } from './section';

/** Alert rules (from a file, for GitOps), how often they are evaluated, and where notifications go. */
export interface AlertsConfig {
  rules: AlertRule[];
  intervalMs: number;
  channels: AlertChannel[];
  /** Makes notification links absolute (SIGNALBOX_PUBLIC_URL); null: they are paths. */
  publicUrl: string | null;
}

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

const ruleSchema = z
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

const fileSchema = z
  .object({ rules: z.array(ruleSchema) })
  .strict()
  .superRefine(({ rules }, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `${r.id} is used twice` });
      seen.add(r.id);
    });
  });

/** The rules of a YAML (or JSON) rules file; a ConfigError names the file, the rule and the field. */
export function parseRulesFile(text: string, where: string): AlertRule[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${where}: not valid YAML or JSON (${(error as Error).message})`);
  }
  const result = fileSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const [, index, ...field] = issue.path;
      const rule =
        typeof index === 'number'
          ? `rule ${index + 1}${(parsed as { rules: { id?: unknown }[] }).rules[index]?.id ? ` (${String((parsed as { rules: { id?: unknown }[] }).rules[index]!.id)})` : ''}`
          : 'the file';
      return `${rule}${field.length ? `, ${field.join('.')}` : ''}: ${issue.message}`;
    });
    throw new ConfigError(
      `${where}: ${problems.join('; ')}. Expected { rules: [{ id, name, kind, … }] } (README, "Alerts").`,
    );
  }
  return result.data.rules.map((r) =>
    alertRule({
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
    }),
  );
}

export const alertsSection = section(
  z.object({
    SIGNALBOX_ALERT_RULES_FILE: z.string().trim().min(1).optional(),
    SIGNALBOX_ALERT_INTERVAL_SECONDS: int(5, 3600, 15),
    SIGNALBOX_ALERT_WEBHOOK_URL: url(['https', 'http']).optional(),
    SIGNALBOX_ALERT_WEBHOOK_SECRET: secret('to send webhooks unsigned'),
    SIGNALBOX_ALERT_SLACK_URL: url(['https', 'http']).optional(),
    SIGNALBOX_ALERTMANAGER_URL: url(['https', 'http']).optional(),
    SIGNALBOX_PUBLIC_URL: url(['https', 'http']).optional(),
  }),
  (d, source): AlertsConfig => {
    let rules: AlertRule[] = [];
    if (d.SIGNALBOX_ALERT_RULES_FILE) {
      const key = 'SIGNALBOX_ALERT_RULES_FILE';
      let text: string;
      try {
        text = source.readFile(d.SIGNALBOX_ALERT_RULES_FILE);
      } catch (error) {
        throw new ConfigError(
          `${source.where(key)}=${JSON.stringify(d.SIGNALBOX_ALERT_RULES_FILE)}: cannot read it (${(error as Error).message}).`,
        );
      }
      rules = parseRulesFile(text, d.SIGNALBOX_ALERT_RULES_FILE);
    }
    const channels: AlertChannel[] = [];
    if (d.SIGNALBOX_ALERT_WEBHOOK_URL)
      channels.push({
        name: 'webhook',
        url: d.SIGNALBOX_ALERT_WEBHOOK_URL,
        secret: d.SIGNALBOX_ALERT_WEBHOOK_SECRET,
      });
    if (d.SIGNALBOX_ALERT_SLACK_URL) channels.push({ name: 'slack', url: d.SIGNALBOX_ALERT_SLACK_URL });
    if (d.SIGNALBOX_ALERTMANAGER_URL)
      channels.push({ name: 'alertmanager', url: d.SIGNALBOX_ALERTMANAGER_URL });
    return {
      rules,
      intervalMs: d.SIGNALBOX_ALERT_INTERVAL_SECONDS * 1000,
      channels,
      publicUrl: d.SIGNALBOX_PUBLIC_URL ?? null,
    };
  },
);
