import {
  type DeadLetterFailure,
  failureFingerprint,
  parseDeadLetter,
} from '@signalbox/instrumentation/protocol';
import type { DlqRecord, BrokerSystem, HeaderValue } from '@/lib/brokers/dlq-types';

/** Bytes of a body sent to the browser; the rest is cut (the full body stays in the broker). */
export const BODY_PREVIEW_BYTES = 64 * 1024;

export interface BodyView {
  /** `json`: valid UTF-8 JSON (shown pretty); `text`: other UTF-8; `base64`: binary (shown as hex). */
  encoding: 'json' | 'text' | 'base64';
  /** The preview: text for json/text, base64 for binary. */
  preview: string;
  sizeBytes: number;
  truncated: boolean;
}

export interface FailureView {
  reason: string | null;
  errorType: string | null;
  errorMessage: string | null;
  stackTrace: string | null;
  source: DeadLetterFailure['source'];
  attempts: number | null;
  firstFailedAt: string | null;
  lastFailedAt: string | null;
  traceId: string | null;
  traceparent: string | null;
  dialect: string | null;
  replay: DeadLetterFailure['replay'];
  details: Record<string, string>;
}

/** One dead-lettered message as the API returns it. */
export interface DlqMessageView {
  id: string;
  timestamp: string | null;
  headers: Record<string, HeaderValue>;
  body: BodyView;
  failure: FailureView;
  fingerprint: string;
  /** Why it cannot be replayed (a JetStream advisory whose failed message is gone); absent when it can. */
  notReplayable?: string;
}

// C0 control characters other than tab, LF, VT, FF and CR mark a body as binary.
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x09 || (c > 0x0d && c < 0x20)) return true;
  }
  return false;
}

export function bodyView(body: Buffer): BodyView {
  const slice = body.subarray(0, BODY_PREVIEW_BYTES);
  const truncated = body.length > slice.length;
  const text = slice.toString('utf8');
  // Cutting may split a multi-byte character at the end; only a mismatch before that means binary.
  const utf8 =
    Buffer.from(text, 'utf8').equals(slice) || (truncated && !text.slice(0, -1).includes('\uFFFD'));
  if (!utf8 || hasControlCharacters(text)) {
    return { encoding: 'base64', preview: slice.toString('base64'), sizeBytes: body.length, truncated };
  }
  if (!truncated) {
    try {
      JSON.parse(text);
      return { encoding: 'json', preview: text, sizeBytes: body.length, truncated };
    } catch {
      // not JSON: plain text
    }
  }
  return { encoding: 'text', preview: text, sizeBytes: body.length, truncated };
}

/** Parses a record's failure with the shared parser (never throws) and shapes it for the API. */
export function messageView(system: BrokerSystem, queue: string, record: DlqRecord): DlqMessageView {
  const failure = parseDeadLetter({
    system,
    destination: record.parseExtras?.destination ?? queue,
    headers: record.rawHeaders,
    job: record.parseExtras?.job,
    advisory: record.parseExtras?.advisory,
    timestamp: record.timestamp ?? undefined,
  });
  return {
    id: record.key,
    timestamp: record.timestamp,
    headers: record.headers,
    body: bodyView(record.body),
    failure: {
      reason: failure.reason,
      errorType: failure.errorType,
      errorMessage: failure.errorMessage,
      stackTrace: failure.stackTrace,
      source: failure.source,
      attempts: failure.attempts,
      firstFailedAt: failure.firstFailedAt,
      lastFailedAt: failure.lastFailedAt,
      traceId: failure.traceId,
      traceparent: failure.traceparent,
      dialect: failure.dialect,
      replay: failure.replay,
      details: failure.details,
    },
    fingerprint: failureFingerprint(failure),
    ...(record.notReplayable ? { notReplayable: record.notReplayable } : {}),
  };
}
