/** Masking: hides secrets and personal data in what the server sends out (README, "Masking"). */
export { FIELD_MARKER, HEADER_MARKER, Masker } from './masker';
export { parseJsonPath } from './json-path';
export { isNameGlob } from './name-glob';
export { parsePattern, splitPatternList } from './patterns';
export { DEFAULT_HEADERS, DEFAULT_JSON_PATHS, DEFAULT_MASKING, type MaskingRules, NO_MASKING } from './rules';
