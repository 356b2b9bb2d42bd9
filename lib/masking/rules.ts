/**
 * What masking hides, as configured (lib/config/masking.ts): the defaults unless turned off, plus
 * the configured JSON paths, header names and patterns.
 */
export interface MaskingRules {
  /** Add the DEFAULT_* rules below and the default patterns (cards, e-mails, tokens, AWS keys). */
  defaults: boolean;
  jsonPaths: string[];
  headers: string[];
  /** Regular expressions (`source` or `/source/flags`). */
  patterns: string[];
}

/** Fields that hold secrets or card data in most payloads, at any depth. */
export const DEFAULT_JSON_PATHS: readonly string[] = [
  '$..password',
  '$..passwd',
  '$..secret',
  '$..token',
  '$..accessToken',
  '$..refreshToken',
  '$..apiKey',
  '$..api_key',
  '$..cardNumber',
  '$..card_number',
  '$..pan',
  '$..cvv',
  '$..cvc',
];

/** Headers (and span attribute names) that carry credentials. */
export const DEFAULT_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  '*token*',
  '*secret*',
  '*password*',
  '*api-key*',
  '*apikey*',
  '*api_key*',
];

export const NO_MASKING: MaskingRules = { defaults: false, jsonPaths: [], headers: [], patterns: [] };
export const DEFAULT_MASKING: MaskingRules = { defaults: true, jsonPaths: [], headers: [], patterns: [] };
