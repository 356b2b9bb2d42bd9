import type { Masker } from '@/lib/masking';
import { decodeStoredAttributes } from '@/lib/otlp/stored-attributes';
import type { StoredLink, StoredSpan } from '@/lib/store/types';
import type {
  DeliveryOutcome,
  Journey,
  JourneyAttempt,
  JourneyDelivery,
  JourneyHop,
  JourneySpan,
} from './journey-model';
import { placeReplays } from './journey-replays';

const iso = (us: number) => new Date(us / 1000).toISOString();
const key = (traceId: string, spanId: string) => traceId + spanId;
const statusOf = (code: number): JourneySpan['status'] =>
  code === 2 ? 'error' : code === 1 ? 'ok' : 'unset';
const ms = (us: number) => Math.round(us) / 1000;

/**
 * Pure: turns the spans and links of a message's traces into hops. A hop is
 * one send and the deliveries it caused: process spans that link to the send
 * (link mode) or are its children (parent mode), grouped per consumer service
 * and group, each attempt in time order (several = retries/redeliveries).
 * Settle spans attach to the attempt they belong to (child or link). A send
 * made while processing another hop's message is "caused by" that hop.
 * What spans carry from the application (attributes, status messages) is
 * masked: a journey leaves the server.
 */
export function buildJourney(
  query: Journey['query'],
  storedSpans: readonly StoredSpan[],
  links: readonly StoredLink[],
  truncated: boolean,
  masker: Masker,
): Journey {
  const spans = storedSpans.map((s) =>
    s.statusMessage === null ? s : { ...s, statusMessage: masker.text(s.statusMessage) },
  );
  const byKey = new Map(spans.map((s) => [key(s.traceId, s.spanId), s]));
  const linksFrom = new Map<string, StoredLink[]>();
  for (const l of links) {
    const k = key(l.traceId, l.spanId);
    linksFrom.set(k, [...(linksFrom.get(k) ?? []), l]);
  }
  const upstream = (s: StoredSpan): StoredSpan[] => {
    const out = (linksFrom.get(key(s.traceId, s.spanId)) ?? []).flatMap(
      (l) => byKey.get(key(l.linkedTraceId, l.linkedSpanId)) ?? [],
    );
    const parent = s.parentSpanId ? byKey.get(key(s.traceId, s.parentSpanId)) : undefined;
    return parent ? [...out, parent] : out;
  };

  const sends = spans.filter((s) => s.operationType === 'send' || s.operationType === 'create');
  const hopBySend = new Map<string, JourneyHop>();
  const hops: JourneyHop[] = [];
  for (const s of sends.filter((x) => x.operationType === 'send')) {
    const hop: JourneyHop = {
      index: hops.length,
      system: s.system,
      destination: s.destination ?? '(unknown)',
      messageId: s.messageId,
      send: {
        service: s.service,
        traceId: s.traceId,
        spanId: s.spanId,
        sentAt: iso(s.startUs),
        durationMs: ms(s.durationUs),
        status: statusOf(s.statusCode),
      },
      deliveries: [],
      causedBy: null,
      deadLetter: s.deadLetter,
      replayId: s.replayId,
      replay: null,
    };
    hops.push(hop);
    hopBySend.set(key(s.traceId, s.spanId), hop);
  }
  // Batch "create" spans name the messages; a process span may link to one of them.
  for (const c of sends.filter((x) => x.operationType === 'create')) {
    const send = spans.find((x) => x.operationType === 'send' && upstream(c).includes(x)) ?? null;
    const hop = send ? hopBySend.get(key(send.traceId, send.spanId)) : undefined;
    if (hop) hopBySend.set(key(c.traceId, c.spanId), hop);
  }

  const attemptsByHop = new Map<
    JourneyHop,
    Map<string, { service: string; group: string | null; spans: StoredSpan[] }>
  >();
  const hopOfProcess = new Map<string, JourneyHop>();
  // Receives per hop and consumer: the delivery of a consumer that reports no process span for it.
  const receivesByHop = new Map<JourneyHop, Map<string, StoredSpan[]>>();
  for (const p of spans.filter((s) => s.operationType === 'process' || s.operationType === 'receive')) {
    let hop = upstream(p)
      .map((u) => hopBySend.get(key(u.traceId, u.spanId)))
      .find((h) => h !== undefined);
    if (!hop && p.operationType === 'receive') continue; // a receive without its send adds nothing
    if (!hop) {
      // The producer was not instrumented (or its span is gone): a hop with only a consumer side.
      hop = {
        index: hops.length,
        system: p.system,
        destination: p.destination ?? '(unknown)',
        messageId: p.messageId,
        send: null,
        deliveries: [],
        causedBy: null,
        deadLetter: false,
        replayId: p.replayId,
        replay: null,
      };
      hops.push(hop);
    }
    const g = `${p.service}\u0000${p.consumerGroup ?? ''}`;
    if (p.operationType === 'receive') {
      const byConsumer = receivesByHop.get(hop) ?? new Map<string, StoredSpan[]>();
      receivesByHop.set(hop, byConsumer);
      byConsumer.set(g, [...(byConsumer.get(g) ?? []), p]);
      continue;
    }
    hopOfProcess.set(key(p.traceId, p.spanId), hop);
    const groups =
      attemptsByHop.get(hop) ??
      new Map<string, { service: string; group: string | null; spans: StoredSpan[] }>();
    attemptsByHop.set(hop, groups);
    const entry = groups.get(g) ?? { service: p.service, group: p.consumerGroup, spans: [] };
    entry.spans.push(p);
    groups.set(g, entry);
  }

  const settles = spans.filter((s) => s.operationType === 'settle');
  for (const hop of hops) {
    const sentUs = hop.send ? Date.parse(hop.send.sentAt) * 1000 : null;
    const processing = [...(attemptsByHop.get(hop)?.entries() ?? [])];
    const processed = new Set(processing.map(([g]) => g));
    const consumers = [
      ...processing.map(([, c]) => ({ ...c, observedBy: 'process' as const })),
      // A consumer's receives count only when it reported no processing of this message.
      ...[...(receivesByHop.get(hop) ?? [])]
        .filter(([g]) => !processed.has(g))
        .map(([, list]) => ({
          service: list[0]!.service,
          group: list[0]!.consumerGroup,
          spans: list,
          observedBy: 'receive' as const,
        })),
    ];
    for (const { observedBy, service, group, spans: attempts } of consumers) {
      attempts.sort((a, b) => a.startUs - b.startUs);
      const list: JourneyAttempt[] = attempts.map((p) => {
        const settle = settles.find((s) => upstream(s).includes(p));
        return {
          traceId: p.traceId,
          spanId: p.spanId,
          startedAt: iso(p.startUs),
          queueWaitMs: sentUs === null ? null : ms(p.startUs - sentUs),
          processingMs: ms(p.durationUs),
          status: statusOf(p.statusCode),
          errorType: p.errorType,
          statusMessage: p.statusMessage,
          deliveryAttempt: p.deliveryAttempt,
          settle: settle ? { operation: settle.operationName ?? 'settle', at: iso(settle.startUs) } : null,
        };
      });
      hop.deliveries.push(delivery(service, group, observedBy, list, attempts, spans, upstream));
    }
  }
  const sendOf = (hop: JourneyHop) =>
    hop.send ? byKey.get(key(hop.send.traceId, hop.send.spanId)) : undefined;
  placeReplays(hops, {
    sendOf,
    linkedFrom: (s) =>
      (linksFrom.get(key(s.traceId, s.spanId)) ?? []).flatMap(
        (l) => byKey.get(key(l.linkedTraceId, l.linkedSpanId)) ?? [],
      ),
    hopOf: (s) => hopBySend.get(key(s.traceId, s.spanId)),
  });
  // Causality: a send whose parent (or link) is a process span of another hop (replays keep theirs).
  for (const hop of hops) {
    const send = sendOf(hop);
    if (!send) continue;
    const cause = upstream(send)
      .map((u) => hopOfProcess.get(key(u.traceId, u.spanId)))
      .find((h) => h && h !== hop);
    if (cause) hop.causedBy = cause.index;
  }

  const startUs = Math.min(...spans.map((s) => s.startUs));
  const endUs = Math.max(...spans.map((s) => s.startUs + s.durationUs));
  return {
    query,
    traceIds: [...new Set(spans.map((s) => s.traceId))],
    startedAt: iso(startUs),
    endedAt: iso(endUs),
    totalMs: ms(endUs - startUs),
    hops,
    spans: spans.map((s) => journeySpan(s, linksFrom.get(key(s.traceId, s.spanId)) ?? [], masker)),
    truncated,
  };
}

function delivery(
  service: string,
  group: string | null,
  observedBy: 'process' | 'receive',
  attempts: JourneyAttempt[],
  spans: StoredSpan[],
  all: readonly StoredSpan[],
  upstream: (s: StoredSpan) => StoredSpan[],
): JourneyDelivery {
  const last = attempts.at(-1)!;
  const deadLettered = all.some(
    (s) => s.deadLetter && s.operationType === 'send' && upstream(s).some((u) => spans.includes(u)),
  );
  const settleDead = attempts.some((a) => /dead/i.test(a.settle?.operation ?? ''));
  let outcome: DeliveryOutcome =
    last.status === 'error' ? 'failed' : observedBy === 'receive' ? 'received' : 'processed';
  if (deadLettered || settleDead) outcome = 'dead-lettered';
  return {
    service,
    consumerGroup: group,
    observedBy,
    attempts,
    outcome,
    retries: attempts.length - 1,
    redelivered: attempts.length > 1 || attempts.some((a) => (a.deliveryAttempt ?? 1) > 1),
  };
}

function journeySpan(s: StoredSpan, links: StoredLink[], masker: Masker): JourneySpan {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    links: links.map((l) => ({ traceId: l.linkedTraceId, spanId: l.linkedSpanId })),
    service: s.service,
    name: s.name,
    operation: s.operationType,
    system: s.system,
    destination: s.destination,
    startedAt: iso(s.startUs),
    startUs: s.startUs,
    durationMs: ms(s.durationUs),
    status: statusOf(s.statusCode),
    errorType: s.errorType,
    statusMessage: s.statusMessage,
    attributes: masker.attributes(decodeStoredAttributes(s.attributes)),
  };
}
