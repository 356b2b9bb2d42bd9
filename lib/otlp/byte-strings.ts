/**
 * Strings looked up by their UTF-8 bytes, for the protobuf decoder's hot
 * path. Attribute keys and most of the values Signalbox reads (service names,
 * systems, destinations, operation names, consumer groups) are the same few
 * hundred strings in every export; creating a new JS string for each
 * occurrence (Buffer#toString) was about a tenth of the ingest server's CPU,
 * plus the garbage it leaves. Hashing the bytes and comparing them with a
 * stored copy costs a few nanoseconds and allocates nothing.
 */

/** FNV-1a over bytes [start, end), as an unsigned 32-bit number. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
  return hash >>> 0;
}

/**
 * A cheap hash for a fixed key set: the length and four bytes from the end
 * and the middle (attribute keys share their beginnings, `messaging.…`).
 * Every hit is confirmed by comparing all bytes, so collisions only cost a
 * probe.
 */
function sampleHash(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0) return 0;
  const h =
    Math.imul(length, 0x9e3779b1) ^
    Math.imul(buf[end - 1]!, 0x85ebca6b) ^
    Math.imul(buf[start + (length >> 1)]!, 0xc2b2ae35) ^
    Math.imul(buf[end - 1 - (length >> 2)]!, 0x27d4eb2f) ^
    Math.imul(buf[start + (length >> 3)]!, 0x165667b1);
  return (h ^ (h >>> 15)) >>> 0;
}

function sameBytes(stored: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (stored.length !== end - start) return false;
  for (let i = 0; i < stored.length; i++) if (stored[i] !== buf[start + i]) return false;
  return true;
}

/**
 * A fixed set of strings (e.g. the attribute keys the messaging mapping
 * reads), each with a payload, found by bytes: `find` returns the index of
 * the entry whose UTF-8 bytes equal buf[start, end), or -1.
 */
export class ByteKeySet<P> {
  private readonly slots: Int32Array;
  private readonly bytes: Uint8Array[];
  readonly strings: string[];
  readonly payloads: P[];

  constructor(entries: readonly (readonly [string, P])[]) {
    let size = 16;
    while (size < entries.length * 4) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.strings = entries.map(([s]) => s);
    this.payloads = entries.map(([, p]) => p);
    this.bytes = this.strings.map((s) => Buffer.from(s, 'utf8'));
    this.bytes.forEach((b, index) => {
      if (this.find(b, 0, b.length) >= 0) throw new Error(`duplicate key ${this.strings[index]}`);
      let slot = sampleHash(b, 0, b.length) & (size - 1);
      while (this.slots[slot] !== -1) slot = (slot + 1) & (size - 1);
      this.slots[slot] = index;
    });
  }

  find(buf: Uint8Array, start: number, end: number): number {
    const mask = this.slots.length - 1;
    let slot = sampleHash(buf, start, end) & mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === -1) return -1;
      if (sameBytes(this.bytes[index]!, buf, start, end)) return index;
      slot = (slot + 1) & mask;
    }
  }
}

/**
 * A bounded cache of interned strings: a direct-mapped table (one entry per
 * hash slot, the newest wins), so however many distinct values hostile input
 * sends, it holds at most `slots` strings of at most `maxBytes` bytes each.
 * Longer strings are decoded without caching.
 */
export class ByteStringCache {
  private readonly bytes: (Uint8Array | undefined)[];
  private readonly strings: string[];
  private readonly mask: number;

  constructor(
    slots = 4096,
    private readonly maxBytes = 96,
  ) {
    if ((slots & (slots - 1)) !== 0) throw new Error('slots must be a power of two');
    this.mask = slots - 1;
    this.bytes = new Array<Uint8Array | undefined>(slots).fill(undefined);
    this.strings = new Array<string>(slots).fill('');
  }

  /** buf[start, end) as a UTF-8 string; the same string object for the same bytes while it stays cached. */
  get(buf: Buffer, start: number, end: number): string {
    if (start === end) return '';
    if (end - start > this.maxBytes) return buf.toString('utf8', start, end);
    const slot = hashBytes(buf, start, end) & this.mask;
    const stored = this.bytes[slot];
    if (stored !== undefined && sameBytes(stored, buf, start, end)) return this.strings[slot]!;
    const value = buf.toString('utf8', start, end);
    // A copy, not a view: a view would keep the whole request body alive.
    this.bytes[slot] = Uint8Array.prototype.slice.call(buf, start, end);
    this.strings[slot] = value;
    return value;
  }
}
