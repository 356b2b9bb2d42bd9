/** A regular-expression rule: what it finds in text, and the marker that replaces it. */
export interface PatternRule {
  /** Shown in the marker: `[masked:<name>]`. */
  name: string;
  /** Global: every match in a text is replaced. */
  regex: RegExp;
  /** Keeps a match unmasked when false (the card rule's Luhn check). */
  accept?: (match: string) => boolean;
}

/** The Luhn checksum every payment card number passes (and 9 in 10 random digit strings fail). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const isCardNumber = (match: string): boolean => {
  const digits = match.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits);
};

/**
 * The default patterns. Cards: 13–19 digits, optionally grouped by spaces or dashes, starting with a
 * card network's first digit (2–6) and passing Luhn, so order numbers and epoch-millisecond timestamps
 * mostly stay readable. Bearer comes before JWT so `Bearer eyJ…` is one marker. Each pattern starts
 * only where its match could begin (lookbehind, \b), so a long run of word characters is scanned once,
 * not once per position.
 */
export const DEFAULT_PATTERNS: readonly PatternRule[] = [
  { name: 'card', regex: /(?<![\d-])[2-6](?:[ -]?\d){12,18}(?!\d)/g, accept: isCardNumber },
  {
    name: 'email',
    regex: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  },
  { name: 'bearer', regex: /\bbearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi },
  { name: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g },
  { name: 'aws-key', regex: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g },
];

/**
 * A configured pattern: a JavaScript regular expression, or `/source/flags` to give flags (`i`, `s`,
 * `u`, `m`). Throws SyntaxError when it does not compile; one that matches the empty string would
 * mark every position, and is refused too.
 */
export function parsePattern(text: string): PatternRule {
  const slashed = /^\/(.+)\/([imsu]*)$/.exec(text.trim());
  const regex = slashed ? new RegExp(slashed[1]!, `${slashed[2]}g`) : new RegExp(text.trim(), 'g');
  if (regex.test('')) throw new SyntaxError(`/${regex.source}/ matches the empty string`);
  regex.lastIndex = 0;
  return { name: 'pattern', regex };
}

/**
 * Splits a comma list of patterns at the commas that separate them: not the ones inside `{2,4}`,
 * `[,;]` or `(a,b)`, nor an escaped `\,`.
 */
export function splitPatternList(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c === '\\' && i + 1 < list.length) {
      current += c + list[++i];
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    if (c === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return items.map((s) => s.trim()).filter(Boolean);
}

/** Replaces every accepted match of every rule with its marker. */
export function maskText(text: string, patterns: readonly PatternRule[]): string {
  let out = text;
  for (const rule of patterns) {
    out = out.replace(rule.regex, (match) =>
      !rule.accept || rule.accept(match) ? `[masked:${rule.name}]` : match,
    );
  }
  return out;
}
