import Link from 'next/link';

const CHOICES = [
  { value: '', label: 'No comparison' },
  { value: '1h', label: 'vs 1h earlier' },
  { value: '1d', label: 'vs 1 day earlier' },
  { value: '7d', label: 'vs 1 week earlier' },
] as const;

/** Compare the range with the same window shifted back (`compareTo` in the URL). */
export function ComparePicker({ params }: { params: Record<string, string> }) {
  const current = params.compareTo ?? '';
  return (
    <nav className="segmented" aria-label="Compare with">
      {CHOICES.map(({ value, label }) => {
        const query = new URLSearchParams(params);
        if (value) query.set('compareTo', value);
        else query.delete('compareTo');
        return (
          <Link
            key={label}
            href={`/latency?${query.toString()}`}
            aria-current={current === value ? 'true' : undefined}
            className={current === value ? 'active' : undefined}
            scroll={false}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
