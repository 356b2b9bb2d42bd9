/**
 * Links from a journey out to a tracing UI, from a template list such as
 * `Jaeger=http://localhost:16686/trace/{traceId};Zipkin=http://localhost:9411/zipkin/traces/{traceId}`.
 * `{traceId}` is replaced (URL-encoded). Entries without it are ignored.
 */
export interface TraceLinkTemplate {
  name: string;
  template: string;
}

export function parseTraceLinkTemplates(text: string | undefined): TraceLinkTemplate[] {
  if (!text) return [];
  return text
    .split(';')
    .map((entry) => entry.trim())
    .flatMap((entry) => {
      const eq = entry.indexOf('=');
      if (eq <= 0) return [];
      const name = entry.slice(0, eq).trim();
      const template = entry.slice(eq + 1).trim();
      return template.includes('{traceId}') && /^https?:\/\//.test(template) ? [{ name, template }] : [];
    });
}

export function traceLink(template: TraceLinkTemplate, traceId: string): string {
  return template.template.replaceAll('{traceId}', encodeURIComponent(traceId));
}
