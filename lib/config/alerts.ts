import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AlertChannel } from '@/lib/alerts/channels';
import type { AlertRule } from '@/lib/alerts/rule';
import { ruleInput, toRule } from '@/lib/alerts/rule-schema';
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

const fileSchema = z
  .object({ rules: z.array(ruleInput) })
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
  return result.data.rules.map(toRule);
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
