import { createHash } from 'node:crypto';
import type { DeadLetterFailure } from './model.js';

/*
 * Failure fingerprints group dead letters by cause, Sentry-style: the same
 * bug thrown for a thousand different orders must be one group. The
 * fingerprint hashes the error type, the message with its variable parts
 * replaced by placeholders, and the top stack frames without line numbers
 * (which change with every deploy) or directories (which differ per host).
 */

/** Stack frames that go into a fingerprint. */
export const FINGERPRINT_FRAMES = 3;

const MAX_MESSAGE = 2048;
const MAX_STACK_LINES = 200;

// Order matters: specific shapes first, then what is left of numbers.
const MESSAGE_RULES: readonly [RegExp, string][] = [
  // Quoted values: an opening quote not preceded by a letter, so "can't" is not a quote.
  [/(?<![\w])"[^"\n]{0,200}"(?![\w])/g, '"<q>"'],
  [/(?<![\w])'[^'\n]{0,200}'(?![\w])/g, "'<q>'"],
  [/(?<![\w])`[^`\n]{0,200}`(?![\w])/g, '`<q>`'],
  // ISO 8601 dates and times.
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, '<ts>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Hex ids (object ids, hashes, trace ids): 8+ hex chars with a digit and a letter, so words stay.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '<ip>'],
  [/\d+(?:\.\d+)?/g, '<n>'],
  [/\s+/g, ' '],
];

/**
 * An error message with its variable parts replaced: quoted values by `<q>`,
 * timestamps by `<ts>`, UUIDs by `<uuid>`, hex ids by `<hex>`, IPv4
 * addresses by `<ip>`, numbers by `<n>`; whitespace collapsed. Also a readable title for a failure group.
 */
export function normaliseErrorMessage(message: string): string {
  let out = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message;
  for (const [pattern, placeholder] of MESSAGE_RULES) out = out.replace(pattern, placeholder);
  return out.trim();
}

const basename = (path: string) => path.replace(/^file:\/\//, '').replace(/^.*[\\/]/, '');

// Runtime internals say nothing about the application's failure.
const INTERNAL = /(?:^|\()(?:node:|internal\/|native\b)|^<anonymous>$/;

/** One stack line as `function (file)` with no line/column numbers, or null if it is not a frame. */
function normaliseFrame(line: string): string | null {
  const trimmed = line.trim();
  // Python: File "/app/x.py", line 3, in handle
  const python = /^File "([^"]+)", line \d+, in (.+)$/.exec(trimmed);
  if (python) return `${python[2]} (${basename(python[1] ?? '')})`;
  if (!trimmed.startsWith('at ')) return null;
  let body = trimmed.slice(3).replace(/^async /, '');
  if (INTERNAL.test(body)) return null;
  // .NET: `Ns.Type.Method(String id) in C:\src\File.cs:line 42`
  body = body.replace(/ in (.+?):line \d+$/, (_, file: string) => ` (${basename(file)})`);
  // Query strings (cache busters), then :line:col at the end of a location.
  body = body.replace(/\?[^\s():]*/g, '');
  body = body.replace(/(?::\d+){1,2}(\)?)$/, '$1');
  // Directories inside a location: `fn (/srv/app/dist/x.js)` → `fn (x.js)`; Java's `Foo.java` stays.
  body = body.replace(/\(([^()]*)\)$/, (_, location: string) => `(${basename(location)})`);
  if (!body.includes('(')) body = basename(body);
  return body.replace(/\s+/g, ' ');
}

/**
 * The `count` innermost application frames of a stack trace (JavaScript,
 * Java, .NET or Python), normalised: where the error was thrown.
 */
export function topStackFrames(stack: string, count: number = FINGERPRINT_FRAMES): string[] {
  const frames: string[] = [];
  for (const line of stack.split('\n', MAX_STACK_LINES)) {
    const frame = normaliseFrame(line);
    if (frame !== null && frame !== '') frames.push(frame);
  }
  // Python prints the innermost call last ("most recent call last").
  return /^Traceback \(most recent call last\)/m.test(stack) ? frames.slice(-count) : frames.slice(0, count);
}

/**
 * A stable 16-hex-character id for the cause of a failure: the same for every
 * message that failed the same way, whichever broker, host or build it came
 * from. With no error information at all, messages are grouped by reason.
 */
export function failureFingerprint(
  failure: Pick<DeadLetterFailure, 'errorType' | 'errorMessage' | 'stackTrace'> &
    Partial<Pick<DeadLetterFailure, 'reason'>>,
): string {
  const type = failure.errorType?.trim() ?? '';
  const message = failure.errorMessage ? normaliseErrorMessage(failure.errorMessage) : '';
  const frames = failure.stackTrace ? topStackFrames(failure.stackTrace) : [];
  const key =
    type === '' && message === '' && frames.length === 0
      ? `reason:${failure.reason ?? 'unknown'}`
      : ['v1', type, message, ...frames].join('\n');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
