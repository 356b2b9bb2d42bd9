import { type AlertState, step } from './alert-state';
import type { AlertStore, RoundChanges } from './alert-store';
import { type AlertChannel, channelBody } from './channels';
import { resendFiring } from './alertmanager';
import { type AlertInputs, observe } from './observe';
import type { AlertRule } from './rule';
import { deliverDue } from './sender';
import { silenceOf } from './silences';

export interface AlertEvaluatorOptions {
  /** The rules file's rules; those added on the page are read from the store each round. */
  rules: readonly AlertRule[];
  store: AlertStore;
  channels: readonly AlertChannel[];
  /** The figures of this round (lag snapshot, DLQ depths), for these rules; read once per round. */
  inputs: (rules: readonly AlertRule[]) => Promise<AlertInputs>;
  publicUrl: string | null;
  intervalMs: number;
  now?: () => number;
  /** Evaluates on a timer (default); false = only when evaluateNow() is called (tests). */
  schedule?: boolean;
}

const key = (ruleId: string, subject: string) => `${ruleId}\u0000${subject}`;

/**
 * Evaluates every rule on a timer, in the dashboard process, on what it
 * already holds: each round reads the inputs once, steps every alert
 * (alert-state.ts), stores the round's changes and notifications together
 * (alert-store.ts), then sends what is due (sender.ts). A round that fails is
 * logged; the next one starts from the stored state.
 */
export class AlertEvaluator {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.now = options.now ?? Date.now;
    if (options.schedule !== false) this.schedule(0);
  }

  /** Every rule in force: the file's, then those added on the page (a file rule's id wins). */
  async rules(): Promise<AlertRule[]> {
    const fromFile = new Set(this.options.rules.map((r) => r.id));
    const added = (await this.options.store.storedRules())
      .map((s) => s.rule)
      .filter((r) => !fromFile.has(r.id));
    return [...this.options.rules, ...added];
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.evaluateNow()
        .catch((error: unknown) => console.error('signalbox: alert evaluation failed', error))
        .finally(() => {
          if (!this.stopped) this.schedule(this.options.intervalMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  /** One round now (rounds never overlap: a second call waits for the first and runs after it). */
  evaluateNow(): Promise<void> {
    const previous = this.running ?? Promise.resolve();
    const round = previous.catch(() => undefined).then(() => this.round());
    this.running = round;
    return round;
  }

  private async round(): Promise<void> {
    const { store, channels, publicUrl } = this.options;
    const nowMs = this.now();
    const rules = await this.rules();
    const inputs = await this.options.inputs(rules);
    const existing = new Map((await store.states()).map((s) => [key(s.ruleId, s.subject), s]));
    const silences = await store.activeSilences(nowMs);
    const changes: RoundChanges = { upsert: [], remove: [], notify: [] };
    for (const rule of rules) {
      let found;
      try {
        found = await observe(rule, inputs, nowMs);
      } catch (error) {
        // One rule's failed read (a store query, say) neither stops the others nor resolves its alerts.
        console.error(`signalbox: alert rule ${rule.id} could not be evaluated this round`, error);
        for (const [k, s] of existing) if (s.ruleId === rule.id) existing.delete(k);
        continue;
      }
      const observations = new Map(found.map((o) => [o.subject, o]));
      const subjects = new Set([
        ...observations.keys(),
        ...[...existing.values()].filter((s) => s.ruleId === rule.id).map((s) => s.subject),
      ]);
      for (const subject of subjects) {
        const previous: AlertState | null = existing.get(key(rule.id, subject)) ?? null;
        existing.delete(key(rule.id, subject));
        const { next, event } = step(rule, previous, observations.get(subject), subject, nowMs);
        if (next) changes.upsert.push(next);
        else if (previous) changes.remove.push(previous);
        if (event)
          for (const channel of channels)
            changes.notify.push({
              event,
              channel: channel.name,
              body: channelBody(channel, event, rule, publicUrl, this.options.intervalMs),
              silencedBy: silenceOf(silences, rule.id, subject, nowMs),
            });
      }
    }
    // State of rules no longer configured goes without a word: nobody asked to be told about them.
    for (const orphan of existing.values()) changes.remove.push(orphan);
    await store.apply(changes);
    await deliverDue(store, channels, this.now);
    await this.resendToAlertmanager(
      changes.upsert.filter((s) => !silenceOf(silences, s.ruleId, s.subject, nowMs)),
      rules,
      nowMs,
    );
  }

  /** Alertmanager forgets a firing alert not sent again (alertmanager.ts): every round re-sends them. */
  private async resendToAlertmanager(
    current: readonly AlertState[],
    allRules: readonly AlertRule[],
    nowMs: number,
  ): Promise<void> {
    const alertmanager = this.options.channels.find((c) => c.name === 'alertmanager');
    if (!alertmanager) return;
    const rules = new Map(allRules.map((r) => [r.id, r]));
    const firing = current
      .filter((s) => s.phase === 'firing' && rules.has(s.ruleId))
      .map((state) => ({ state, rule: rules.get(state.ruleId)! }));
    if (firing.length === 0) return;
    try {
      const status = await resendFiring(
        alertmanager.url,
        firing,
        this.options.publicUrl,
        nowMs,
        this.options.intervalMs,
      );
      if (status >= 300)
        console.warn(`signalbox: Alertmanager answered ${status} to the firing alerts; next round retries`);
    } catch (error) {
      console.warn(`signalbox: Alertmanager not reachable (${(error as Error).message}); next round retries`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
