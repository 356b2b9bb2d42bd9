import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, encodeHeaderValue, TRUNCATION_MARK } from '../../src/dlq/encoding.js';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

describe('dead-letter header value encoding', () => {
  it('leaves plain ASCII as it is, so values stay readable in broker UIs', () => {
    expect(encodeHeaderValue('TypeError: cannot read id of undefined', 100)).toBe(
      'TypeError: cannot read id of undefined',
    );
  });

  it('percent-encodes newlines, tabs, non-ASCII and % so the value is one printable ASCII line', () => {
    const stack = 'Error: café 100%\n    at handler (/srv/app.js:1:2)\t✓ 🚀';
    const encoded = encodeHeaderValue(stack, 1000);
    expect(encoded).toMatch(PRINTABLE_ASCII);
    expect(encoded).not.toContain('\n');
    expect(encoded).toContain('caf%C3%A9 100%25%0A');
    expect(decodeHeaderValue(encoded)).toBe(stack);
  });

  it('encodes leading and trailing spaces, which NATS and HTTP-style parsers trim', () => {
    const encoded = encodeHeaderValue('  padded  ', 100);
    expect(encoded).toBe('%20 padded %20');
    expect(decodeHeaderValue(encoded)).toBe('  padded  ');
  });

  it('cuts to the encoded budget between code points and marks the cut', () => {
    const encoded = encodeHeaderValue('é'.repeat(1000), 64);
    expect(encoded.length).toBeLessThanOrEqual(64);
    expect(encoded.endsWith(TRUNCATION_MARK)).toBe(true);
    const decoded = decodeHeaderValue(encoded);
    expect(decoded).toMatch(/^é+…$/);
  });

  it('cuts a huge value without encoding all of it', () => {
    const encoded = encodeHeaderValue('x'.repeat(10_000_000), 1024);
    expect(encoded).toHaveLength(1024);
    expect(decodeHeaderValue(encoded)).toBe(`${'x'.repeat(1024 - TRUNCATION_MARK.length)}…`);
  });

  it('keeps a value that fits exactly', () => {
    expect(encodeHeaderValue('abc', 3)).toBe('abc');
    expect(encodeHeaderValue('abcd', 3 + TRUNCATION_MARK.length)).toBe('abcd');
  });

  it('replaces lone surrogates instead of throwing', () => {
    const encoded = encodeHeaderValue('a\ud800b', 100);
    expect(decodeHeaderValue(encoded)).toBe('a\ufffdb');
  });

  it('leaves malformed escapes written by others as they are', () => {
    expect(decodeHeaderValue('100% sure %ZZ %C3')).toBe('100% sure %ZZ %C3');
    expect(decodeHeaderValue('a%20b%FF%FEc')).toBe('a b%FF%FEc');
  });
});
