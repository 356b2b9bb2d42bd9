/** The log end offset of a partition, seen at a moment. */
export interface OffsetTimePoint {
  endOffset: number;
  tsMs: number;
}

export interface ProduceTimeEstimate {
  tsMs: number;
  /** `interpolated`: between two samples; `lower-bound`: before the oldest sample, so at least this old. */
  source: 'interpolated' | 'lower-bound';
}

/**
 * When was the record at `offset` produced, judging only by how the log end moved over time? (The
 * method of kafka-lag-exporter: a per-partition table of end offsets and wall-clock times.) The record
 * exists once the end offset exceeds it, so it was produced between the last sample whose end was
 * ≤ offset and the first whose end is > offset; we interpolate linearly between those two. The error
 * is at most the gap between them (one poll interval while polls are regular), and the estimate
 * assumes producers wrote at a steady rate within that gap. Before the oldest sample the answer is a
 * lower bound on the age. Null when the record does not exist yet (nothing to wait for).
 *
 * `table` must be in ascending time order; end offsets never decrease in a healthy log.
 */
export function estimateProduceTime(
  table: readonly OffsetTimePoint[],
  offset: number,
): ProduceTimeEstimate | null {
  const after = table.findIndex((p) => p.endOffset > offset);
  if (after === -1) return null;
  const q = table[after]!;
  if (after === 0) return { tsMs: q.tsMs, source: 'lower-bound' };
  const p = table[after - 1]!;
  // Record `offset` appeared when the end went from offset to offset + 1.
  const fraction = (offset + 1 - p.endOffset) / (q.endOffset - p.endOffset);
  return { tsMs: Math.round(p.tsMs + fraction * (q.tsMs - p.tsMs)), source: 'interpolated' };
}

/**
 * Adds a sample to a table, keeping it short: for each end offset only the first and the last time it
 * was seen are kept (a quiet partition does not fill the table, and the gap around the next write
 * stays one poll wide), and the oldest points go beyond `maxPoints`.
 */
export function recordEndOffset(table: OffsetTimePoint[], point: OffsetTimePoint, maxPoints = 360): void {
  const last = table.at(-1);
  if (last && point.endOffset < last.endOffset) {
    // The log went back (topic recreated, records deleted): the old table no longer describes it.
    table.splice(0, table.length, point);
    return;
  }
  if (last && point.endOffset === last.endOffset && table.at(-2)?.endOffset === last.endOffset) {
    last.tsMs = point.tsMs;
    return;
  }
  table.push(point);
  if (table.length > maxPoints) table.splice(0, table.length - maxPoints);
}
