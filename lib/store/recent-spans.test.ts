import { describe, expect, it } from 'vitest';
import { hopSpans } from './testing/span-factory';
import { RecentSpans } from './recent-spans';

const spans = (n: number) =>
  Array.from({ length: n }, (_, i) => hopSpans({ sentUs: 1_700_000_000_000_000 + i, deliveryUs: 5000 }).send);

describe('RecentSpans', () => {
  it('drops spans committed before and repeats inside one write', () => {
    const recent = new RecentSpans();
    const first = spans(3);
    expect(recent.admit([...first, first[0]!])).toEqual(first);
    recent.commit();
    const next = spans(2);
    expect(recent.admit([...first, ...next])).toEqual(next);
  });

  it('forgets a write that was rolled back, so its retry is stored', () => {
    const recent = new RecentSpans();
    const write = spans(2);
    expect(recent.admit(write)).toHaveLength(2);
    recent.rollback();
    expect(recent.admit(write)).toEqual(write);
  });

  it('tells apart spans that share a span id but not a trace', () => {
    const recent = new RecentSpans();
    const [a] = spans(1);
    recent.admit([a!]);
    recent.commit();
    const sameSpanIdOtherTrace = { ...a!, traceId: `ffffffff${a!.traceId.slice(8)}` };
    expect(recent.admit([sameSpanIdOtherTrace])).toHaveLength(1);
  });

  it('keeps two generations: old spans are eventually forgotten (bounded memory)', () => {
    const recent = new RecentSpans(10);
    const old = spans(1);
    recent.admit(old);
    recent.commit();
    // Still known while it is in the previous generation…
    recent.admit(spans(10));
    recent.commit();
    expect(recent.admit(old)).toHaveLength(0);
    recent.rollback();
    // …and forgotten once two newer generations filled.
    recent.admit(spans(10));
    recent.commit();
    expect(recent.admit(old)).toHaveLength(1);
  });
});
