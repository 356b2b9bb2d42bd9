/**
 * The small JSON path syntax masking rules use: `$` then segments, each `.name`
 * (a key), `.*` (any key) or `..name` / `..*` (that key at any depth below).
 * Keys match case-insensitively (`$..password` also hides `Password`), and
 * arrays are looked through: `$.items.card` hides the `card` of every element
 * of `items`. No indices, filters or quoting: a rule names fields, not data.
 */
export interface PathSegment {
  /** A key, lower-cased, or `*`. */
  key: string;
  /** `..`: the key may sit at any depth below the previous segment. */
  deep: boolean;
}

const SEGMENT = /^(\.\.?)([^.[\]\s]+)/;

/** Parses a path; returns null when it is not in the syntax above. */
export function parseJsonPath(path: string): PathSegment[] | null {
  const trimmed = path.trim();
  if (!trimmed.startsWith('$')) return null;
  const segments: PathSegment[] = [];
  let rest = trimmed.slice(1);
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) return null;
    segments.push({ deep: match[1] === '..', key: match[2]!.toLowerCase() });
    rest = rest.slice(match[0].length);
  }
  return segments.length > 0 ? segments : null;
}

/** Where a walk stands in one path: which path, and how many of its segments are matched. */
export type PathState = readonly [path: number, matched: number];

/**
 * The states after stepping into `key` from `states`; `complete` when some path
 * is fully matched (the value under `key` is to be hidden whole).
 */
export function stepPaths(
  paths: readonly PathSegment[][],
  states: readonly PathState[],
  key: string,
): { next: PathState[]; complete: boolean } {
  const lower = key.toLowerCase();
  const next: PathState[] = [];
  let complete = false;
  for (const [p, i] of states) {
    const segment = paths[p]![i]!;
    // A deep segment keeps waiting for its key at every level below.
    if (segment.deep) next.push([p, i]);
    if (segment.key === '*' || segment.key === lower) {
      if (i + 1 === paths[p]!.length) complete = true;
      else next.push([p, i + 1]);
    }
  }
  return { next, complete };
}
