import { formatMs } from '@/lib/format';
import { NumHeader } from '@/components/num-header';

/** The p50/p95/p99 header cells every latency table shares. */
export function PercentileHeaders() {
  return (
    <>
      <NumHeader>p50</NumHeader>
      <NumHeader>p95</NumHeader>
      <NumHeader>p99</NumHeader>
    </>
  );
}

/** The matching row cells. */
export function PercentileCells({
  p50Ms,
  p95Ms,
  p99Ms,
}: {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}) {
  return (
    <>
      <td className="num">{formatMs(p50Ms)}</td>
      <td className="num">{formatMs(p95Ms)}</td>
      <td className="num">{formatMs(p99Ms)}</td>
    </>
  );
}
