import { ByteKeySet } from './byte-strings';

/** `AttributeSelection.match` for a key kept because of its prefix (not in the key set). */
export const KEPT_BY_PREFIX = -2;
/** `AttributeSelection.match` for a key the decoder skips. */
export const NOT_SELECTED = -1;

/**
 * Which attributes a protobuf decode turns into JS values: a fixed key set
 * (each key says whether its string values are interned) plus key prefixes.
 * Matching works on the key's bytes, so a skipped attribute costs a hash and
 * no string at all.
 */
export class AttributeSelection {
  private readonly keySet: ByteKeySet<boolean>;
  private readonly prefixes: Uint8Array[];

  constructor(keys: readonly (readonly [string, boolean])[], prefixes: readonly string[] = []) {
    this.keySet = new ByteKeySet(keys);
    this.prefixes = prefixes.map((p) => Buffer.from(p, 'utf8'));
  }

  /** The key's index (≥ 0), KEPT_BY_PREFIX or NOT_SELECTED, for the key bytes buf[start, end). */
  match(buf: Uint8Array, start: number, end: number): number {
    const index = this.keySet.find(buf, start, end);
    if (index >= 0) return index;
    for (const prefix of this.prefixes) if (startsWith(buf, start, end, prefix)) return KEPT_BY_PREFIX;
    return NOT_SELECTED;
  }

  /** The interned key string of a match ≥ 0. */
  key(index: number): string {
    return this.keySet.strings[index]!;
  }

  /** Whether string values of a match ≥ 0 are low-cardinality (worth interning). */
  internsValue(index: number): boolean {
    return this.keySet.payloads[index]!;
  }
}

function startsWith(buf: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix[i]) return false;
  return true;
}
