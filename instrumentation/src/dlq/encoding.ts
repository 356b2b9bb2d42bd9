/*
 * How our dead-letter header values are written: printable ASCII, with
 * everything else percent-encoded as UTF-8 (like a URI component, but only
 * the characters that need it). Stack traces and messages contain newlines
 * and non-ASCII text, and NATS headers cannot carry CR/LF at all, AMQP 0-9-1
 * short strings and some HTTP-bridged brokers are ASCII-only. Percent-encoding
 * is lossless, keeps the value readable in any broker UI, and every language
 * can decode it.
 */

/** Appended to a value that was cut to fit its budget: `…` (U+2026), encoded. */
export const TRUNCATION_MARK = '%E2%80%A6';

// 0x20..0x7E except '%' (so decoding is unambiguous).
const isPlain = (code: number) => code >= 0x20 && code <= 0x7e && code !== 0x25;

function encodeCodePoint(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (isPlain(code)) return char;
  // Buffer.from replaces lone surrogates with U+FFFD instead of throwing.
  let out = '';
  for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * Encodes `text` for a header and cuts it so the ENCODED value is at most
 * `maxBytes` long (a cut value ends with {@link TRUNCATION_MARK}). Leading and
 * trailing spaces are encoded too, because NATS and HTTP-style header parsers
 * trim them.
 */
export function encodeHeaderValue(text: string, maxBytes: number): string {
  // Every code point encodes to at least one byte and is at most two UTF-16
  // units, so more than 2 * (maxBytes + 1) units can never fit: huge input
  // costs nothing beyond that.
  const window = 2 * (maxBytes + 1);
  const cut = text.length > window;
  const chars = Array.from(cut ? text.slice(0, window) : text);
  const last = chars.length - 1;
  const parts = chars.map((char, i) =>
    char === ' ' && (i === 0 || i === last) ? '%20' : encodeCodePoint(char),
  );
  const whole = parts.join('');
  if (!cut && whole.length <= maxBytes) return whole;
  // Cut between code points (never inside an escape) and mark the cut.
  let out = '';
  for (const part of parts) {
    if (out.length + part.length > maxBytes - TRUNCATION_MARK.length) break;
    out += part;
  }
  return out + TRUNCATION_MARK;
}

const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Decodes a value written by {@link encodeHeaderValue}. Malformed escapes
 * (a value someone else wrote by hand) are left as they are; never throws.
 */
export function decodeHeaderValue(value: string): string {
  if (!value.includes('%')) return value;
  return value.replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8, so not written by us: keep the escapes rather than guess.
      return run;
    }
  });
}
