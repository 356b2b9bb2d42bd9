import { REPLAY_ATTRIBUTES } from '@/lib/model/replay-attributes';
import { decodeStoredAttributes } from '@/lib/otlp/stored-attributes';
import type { StoredSpan } from '@/lib/store/types';
import type { JourneyDelivery, JourneyHop, JourneyReplay } from './journey-model';

/** How placeReplays reaches the spans behind the hops (journey-builder's indexes). */
export interface ReplaySpans {
  /** The send span of a hop. */
  sendOf: (hop: JourneyHop) => StoredSpan | undefined;
  /** The loaded spans a span links to. */
  linkedFrom: (span: StoredSpan) => StoredSpan[];
  /** The hop a send (or batch create) span opened. */
  hopOf: (span: StoredSpan) => JourneyHop | undefined;
}

/**
 * Puts replays in their place. The dashboard's replay is a root send in a new trace, linked to the
 * trace the dead letter carried, so the journey reaches it but nothing else connects it:
 * - when a consumer dead-lettered the message with a send of its own (the instrumentation's
 *   dead-letter helpers), the link names that dead-letter hop: the replay follows from it;
 * - when the broker dead-lettered it (a RabbitMQ dead-letter exchange after a nack without requeue,
 *   an SQS redrive policy), no span records the move and the link names the original send. The
 *   dead-letter hop is then added here, named by the replay's DLQ, after the failed delivery that
 *   put the message there, so the page reads send → failure → DLQ → replay → processing.
 * Inserts the added hops in time order and renumbers every hop; sets the causedBy of the hops it
 * connects (run it before the journey's own causality, which keeps them).
 */
export function placeReplays(hops: JourneyHop[], spans: ReplaySpans): void {
  const causes = new Map<JourneyHop, JourneyHop>();
  const added = new Map<string, { hop: JourneyHop; atMs: number }>();
  for (const hop of [...hops]) {
    const send = spans.sendOf(hop);
    const attributes = send ? decodeStoredAttributes(send.attributes) : {};
    const id = text(attributes[REPLAY_ATTRIBUTES.id]);
    if (!send || !id) continue;
    const dlq = text(attributes[REPLAY_ATTRIBUTES.dlq]);
    const original = spans
      .linkedFrom(send)
      .map((s) => spans.hopOf(s))
      .find((h) => h !== undefined && h !== hop);
    let from = original ?? null;
    if (original && !original.deadLetter && dlq) {
      const key = `${original.index}\u0000${dlq}`;
      const entry = added.get(key) ?? deadLetterHop(original, dlq);
      added.set(key, entry);
      causes.set(entry.hop, original);
      from = entry.hop;
    }
    if (from) causes.set(hop, from);
    hop.replay = {
      id,
      dlq,
      jobId: text(attributes[REPLAY_ATTRIBUTES.job]),
      actor: text(attributes[REPLAY_ATTRIBUTES.actor]),
      of: null,
    };
  }
  const atMs = new Map([...added.values()].map((a) => [a.hop, a.atMs]));
  const timeOf = (h: JourneyHop) =>
    h.send ? Date.parse(h.send.sentAt) : (atMs.get(h) ?? Number.POSITIVE_INFINITY);
  for (const { hop, atMs: at } of added.values()) {
    const after = hops.indexOf(causes.get(hop)!);
    const next = hops.findIndex((h, i) => i > after && timeOf(h) > at);
    hops.splice(next === -1 ? hops.length : next, 0, hop);
  }
  hops.forEach((h, i) => (h.index = i));
  for (const [hop, cause] of causes) {
    hop.causedBy = cause.index;
    if (hop.replay) hop.replay = { ...hop.replay, of: cause.index } satisfies JourneyReplay;
  }
}

/**
 * The hop of a broker's dead-lettering: no send of its own, the original message's id, after the
 * deliveries that failed it (now shown as dead-lettered). A RabbitMQ consumer that nacks without
 * requeue may still end its processing span without an error, so a nack or reject counts too.
 */
function deadLetterHop(original: JourneyHop, dlq: string): { hop: JourneyHop; atMs: number } {
  const failed = original.deliveries.filter((d) => {
    const last = d.attempts.at(-1);
    return last?.status === 'error' || /^(nack|reject)/i.test(last?.settle?.operation ?? '');
  });
  for (const d of failed) d.outcome = 'dead-lettered';
  const ends = failed.map((d) => endOfLastAttempt(d));
  const atMs = ends.length > 0 ? Math.max(...ends) : original.send ? Date.parse(original.send.sentAt) : 0;
  return {
    atMs,
    hop: {
      index: -1,
      system: original.system,
      destination: dlq,
      messageId: original.messageId,
      send: null,
      deliveries: [],
      causedBy: null,
      deadLetter: true,
      replayId: null,
      replay: null,
    },
  };
}

function endOfLastAttempt(d: JourneyDelivery): number {
  const last = d.attempts.at(-1)!;
  return last.settle ? Date.parse(last.settle.at) : Date.parse(last.startedAt) + last.processingMs;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
