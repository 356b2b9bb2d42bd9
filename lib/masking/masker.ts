import { type PathSegment, type PathState, parseJsonPath, stepPaths } from './json-path';
import { compileNameGlob } from './name-glob';
import { DEFAULT_PATTERNS, type PatternRule, maskText, parsePattern } from './patterns';
import { DEFAULT_HEADERS, DEFAULT_JSON_PATHS, type MaskingRules } from './rules';

/** The marker of a field hidden by a JSON path rule. */
export const FIELD_MARKER = '[masked:field]';
/** The marker of a header (or span attribute) hidden by its name. */
export const HEADER_MARKER = '[masked:header]';

/** Bodies up to this size are masked whole before the preview is cut; beyond it, only the start is read. */
const MASK_SCAN_BYTES = 4 * 1024 * 1024;

/**
 * A compiled rule set. Every view that sends payloads, headers or span attributes out of the server
 * takes one (lib/runtime.ts builds it from the configuration), so what leaves is masked. Masked
 * values become a marker, `[masked:<rule>]`, whatever their length, so the length is not shown.
 */
export class Masker {
  private readonly paths: PathSegment[][];
  private readonly headerNames: RegExp[];
  private readonly patterns: PatternRule[];

  /** Throws SyntaxError on a bad path or pattern (the configuration checks them first). */
  constructor(rules: MaskingRules) {
    const paths = [...(rules.defaults ? DEFAULT_JSON_PATHS : []), ...rules.jsonPaths];
    this.paths = paths.map((p) => {
      const parsed = parseJsonPath(p);
      if (!parsed) throw new SyntaxError(`${p} is not a JSON path like $.card.number or $..password`);
      return parsed;
    });
    this.headerNames = [...(rules.defaults ? DEFAULT_HEADERS : []), ...rules.headers].map(compileNameGlob);
    this.patterns = [...(rules.defaults ? DEFAULT_PATTERNS : []), ...rules.patterns.map(parsePattern)];
  }

  /** A header (or attribute) whose name says it carries a credential. */
  hidesName(name: string): boolean {
    return this.headerNames.some((glob) => glob.test(name));
  }

  /** Free text (error messages, stack traces, non-JSON bodies): the patterns. */
  text(text: string): string {
    return maskText(text, this.patterns);
  }

  /** Headers: named ones hidden whole, the others' values through the patterns. */
  headers<V extends string | string[]>(headers: Record<string, V>): Record<string, V> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        this.hidesName(name)
          ? Array.isArray(value)
            ? value.map(() => HEADER_MARKER)
            : HEADER_MARKER
          : Array.isArray(value)
            ? value.map((v) => this.text(v))
            : this.text(value),
      ]),
    ) as Record<string, V>;
  }

  /**
   * Span attributes: a key whose name (whole, or its last dotted part, as in
   * `http.request.header.authorization`) is a hidden header name is hidden whole; other values
   * through the patterns.
   */
  attributes(attributes: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(attributes).map(([key, value]) => [
        key,
        this.hidesName(key) || this.hidesName(key.slice(key.lastIndexOf('.') + 1))
          ? HEADER_MARKER
          : this.value(value),
      ]),
    );
  }

  /** Parsed JSON: fields the paths name hidden whole, strings and numbers through the patterns. */
  json(value: unknown): unknown {
    return this.walk(
      value,
      this.paths.map((_, p) => [p, 0] as const),
    );
  }

  private walk(value: unknown, states: readonly PathState[]): unknown {
    // Arrays are looked through: their elements stand where the array stands.
    if (Array.isArray(value)) return value.map((v) => this.walk(v, states));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, v]) => {
          const { next, complete } = stepPaths(this.paths, states, key);
          return [key, complete ? FIELD_MARKER : this.walk(v, next)];
        }),
      );
    }
    return this.value(value);
  }

  private value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    // A card number sent as a JSON number is still a card number.
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      const masked = this.text(String(value));
      return masked === String(value) ? value : masked;
    }
    return value;
  }

  /**
   * A message body: JSON is parsed and masked by path and pattern, other UTF-8 text by pattern;
   * anything else (binary) is returned as it is. Unchanged bodies come back as the same bytes.
   */
  body(body: Buffer): { body: Buffer; masked: boolean } {
    const scanned = body.subarray(0, MASK_SCAN_BYTES);
    const text = scanned.toString('utf8');
    const whole = scanned.length === body.length;
    // Binary stays as it is; a cut at MASK_SCAN_BYTES may split one character at the end.
    if (!Buffer.from(text, 'utf8').equals(scanned) && (whole || text.slice(0, -1).includes('\uFFFD')))
      return { body, masked: false };
    let masked: string;
    try {
      if (!whole) throw new Error('cut: not parsed');
      const parsed: unknown = JSON.parse(text);
      const result = this.json(parsed);
      masked = JSON.stringify(result) === JSON.stringify(parsed) ? text : JSON.stringify(result);
    } catch {
      masked = this.text(text);
    }
    return masked === text ? { body, masked: false } : { body: Buffer.from(masked, 'utf8'), masked: true };
  }
}
