import {
  type DeadLetterFailure,
  failureFingerprint,
  parseDeadLetter,
} from '@signalbox/instrumentation/protocol';
import type { DlqRecord, BrokerSystem, HeaderValue } from '@/lib/brokers/dlq-types';
import type { Masker } from '@/lib/masking';

/** Bytes of a body sent to the browser; the rest is cut (the full body stays in the broker). */
export const BODY_PREVIEW_BYTES = 64 * 1024;

export interface BodyView {
  /** `json`: valid UTF-8 JSON (shown pretty); `text`: other UTF-8; `base64`: binary (shown as hex). */
  encoding: 'json' | 'text' | 'base64';
  /** The preview: text for json/text, base64 for binary. */
  preview: string;
  /** Of the message as it is in the broker. */
  sizeBytes: number;
  truncated: boolean;
  /** Some of it is hidden by masking (`[masked:…]`): the preview is not the body to edit and resend. */
  masked: boolean;
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

/**
 * What is shown of a body: masked (JSON by path and pattern, text by pattern; binary as it is), then
 * cut to BODY_PREVIEW_BYTES.
 */
export function bodyView(body: Buffer, masker: Masker): BodyView {
  const original = body.subarray(0, BODY_PREVIEW_BYTES);
  if (isBinary(original, body.length > original.length)) {
    return {
      encoding: 'base64',
      preview: original.toString('base64'),
      sizeBytes: body.length,
      truncated: body.length > original.length,
      masked: false,
    };
  }
  const whole = masker.body(body);
  const slice = whole.body.subarray(0, BODY_PREVIEW_BYTES);
  const truncated = whole.body.length > slice.length;
  // The masker leaves a body alone that is not UTF-8 as a whole; the part shown here is text, so the
  // patterns still go over it.
  const text = whole.masked ? slice.toString('utf8') : masker.text(slice.toString('utf8'));
  const masked = whole.masked || text !== slice.toString('utf8');
  const view = { preview: text, sizeBytes: body.length, truncated, masked };
  if (!truncated) {
    try {
      JSON.parse(text);
      return { encoding: 'json', ...view };
    } catch {
      // not JSON: plain text
    }
  }
  return { encoding: 'text', ...view };
}

function isBinary(slice: Buffer, truncated: boolean): boolean {
  const text = slice.toString('utf8');
  // Cutting may split a multi-byte character at the end; only a mismatch before that means binary.
  const utf8 =
    Buffer.from(text, 'utf8').equals(slice) || (truncated && !text.slice(0, -1).includes('\uFFFD'));
  return !utf8 || hasControlCharacters(text);
}

/**
 * Parses a record's failure with the shared parser (never throws) and shapes it for the API, masked:
 * headers, body and the failure's free text. The fingerprint is of the unmasked failure, so groups
 * stay the same whatever the rules.
 */
export function messageView(
  system: BrokerSystem,
  queue: string,
  record: DlqRecord,
  masker: Masker,
): DlqMessageView {
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
    headers: masker.headers(record.headers),
    body: bodyView(record.body, masker),
    failure: {
      reason: orNull(failure.reason, masker),
      errorType: failure.errorType,
      errorMessage: orNull(failure.errorMessage, masker),
      stackTrace: orNull(failure.stackTrace, masker),
      source: failure.source,
      attempts: failure.attempts,
      firstFailedAt: failure.firstFailedAt,
      lastFailedAt: failure.lastFailedAt,
      traceId: failure.traceId,
      traceparent: failure.traceparent,
      dialect: failure.dialect,
      replay: failure.replay,
      details: masker.headers(failure.details),
    },
    fingerprint: failureFingerprint(failure),
    ...(record.notReplayable ? { notReplayable: record.notReplayable } : {}),
  };
}

/**
 * A view stored earlier (the archive), masked again by today's rules: rows archived before masking
 * was on, or before a rule was added, are shown as masked as new ones. Masking a masked view changes
 * nothing.
 */
export function remaskView(view: DlqMessageView, masker: Masker): DlqMessageView {
  const body =
    view.body.encoding === 'base64'
      ? { body: Buffer.alloc(0), masked: false }
      : masker.body(Buffer.from(view.body.preview));
  return {
    ...view,
    headers: masker.headers(view.headers),
    body: {
      ...view.body,
      preview: body.masked ? body.body.toString('utf8') : view.body.preview,
      masked: (view.body.masked ?? false) || body.masked,
    },
    failure: {
      ...view.failure,
      reason: orNull(view.failure.reason, masker),
      errorMessage: orNull(view.failure.errorMessage, masker),
      stackTrace: orNull(view.failure.stackTrace, masker),
      details: masker.headers(view.failure.details),
    },
  };
}

const orNull = (text: string | null, masker: Masker) => (text === null ? null : masker.text(text));
