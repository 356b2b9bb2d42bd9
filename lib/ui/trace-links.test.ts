import { describe, expect, it } from 'vitest';
import { parseTraceLinkTemplates, traceLink } from './trace-links';

describe('trace link templates', () => {
  it('parses named templates and fills in the trace id', () => {
    const templates = parseTraceLinkTemplates(
      'Jaeger=http://localhost:16686/trace/{traceId}; Grafana=https://grafana.example/explore?traceId={traceId}',
    );
    expect(templates.map((t) => t.name)).toEqual(['Jaeger', 'Grafana']);
    expect(traceLink(templates[0]!, 'abc')).toBe('http://localhost:16686/trace/abc');
  });

  it('ignores entries that are not http links with {traceId}', () => {
    expect(
      parseTraceLinkTemplates('bad; X=javascript:alert({traceId}); Y=http://a/b; =http://x/{traceId}'),
    ).toEqual([]);
    expect(parseTraceLinkTemplates(undefined)).toEqual([]);
  });
});
