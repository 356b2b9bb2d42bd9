import type { Span } from '@opentelemetry/api';
import { ATTR_MESSAGING_DESTINATION_NAME } from '../semconv.js';
import { guarded, type MessagingSpanInfo } from '../spans.js';

/*
 * NATS subjects and MQTT topics are often tokenized per entity
 * (`orders.eu.1234`, `sensors/kitchen/temperature`). Per the conventions, a
 * span is then named after `messaging.destination.template` and metrics carry
 * the template, never the raw name, so their cardinality stays bounded; the
 * concrete name stays on the span as `messaging.destination.name`.
 * https://github.com/open-telemetry/semantic-conventions/blob/v1.44.0/docs/messaging/messaging-spans.md#span-name
 */

export const ATTR_MESSAGING_DESTINATION_TEMPLATE = 'messaging.destination.template';
export const ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME = 'messaging.destination.subscription.name';

/**
 * How concrete destinations map to templates: a list of patterns in the
 * broker's wildcard syntax (NATS `orders.*.created`, `telemetry.>`; MQTT
 * `sensors/+/temperature`, `devices/#`), the first match winning, or a
 * function returning the template (or undefined for none).
 */
export type DestinationTemplates = readonly string[] | ((destination: string) => string | undefined);

const MAX_TEMPLATE_LENGTH = 256;

/** NATS subject wildcard match: `*` is one token, a trailing `>` one or more. */
export function natsSubjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let i = 0; i < want.length; i++) {
    const token = want[i];
    if (token === '>' && i === want.length - 1) return have.length > i;
    if (i >= have.length) return false;
    if (token !== '*' && token !== have[i]) return false;
  }
  return want.length === have.length;
}

/** MQTT topic filter match (MQTT 5.0 §4.7): `+` is one level, a trailing `#` this level and below. */
export function mqttTopicMatches(filter: string, topic: string): boolean {
  // Topics starting with `$` (broker internals) never match a leading wildcard.
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const want = filter.split('/');
  const have = topic.split('/');
  for (let i = 0; i < want.length; i++) {
    const level = want[i];
    if (level === '#' && i === want.length - 1) return true;
    if (i >= have.length) return false;
    if (level !== '+' && level !== have[i]) return false;
  }
  return want.length === have.length;
}

export const hasNatsWildcard = (subject: string) => subject.split('.').some((t) => t === '*' || t === '>');
export const hasMqttWildcard = (filter: string) => filter.split('/').some((l) => l === '+' || l === '#');

/** The template for `destination` from the user's `templates`, if any. Never throws. */
export function templateFor(
  destination: string,
  templates: DestinationTemplates | undefined,
  matches: (pattern: string, destination: string) => boolean,
): string | undefined {
  if (templates === undefined) return undefined;
  return guarded(
    'destination template',
    () => {
      const found =
        typeof templates === 'function'
          ? templates(destination)
          : templates.find((pattern) => typeof pattern === 'string' && matches(pattern, destination));
      return typeof found === 'string' && found !== '' && found.length <= MAX_TEMPLATE_LENGTH
        ? found
        : undefined;
    },
    undefined,
  );
}

/**
 * The span info for an operation on `destination`: named and measured after
 * `template` when there is one (with `messaging.destination.template` set).
 * Call {@link setConcreteDestination} on the started span to keep the
 * concrete name on it.
 */
export function destinationInfo(
  base: Omit<MessagingSpanInfo, 'destination'>,
  destination: string,
  template: string | undefined,
): MessagingSpanInfo {
  if (template === undefined || template === destination) return Object.assign({}, base, { destination });
  const attributes = Object.assign({}, base.attributes, { [ATTR_MESSAGING_DESTINATION_TEMPLATE]: template });
  return Object.assign({}, base, { destination: template, attributes });
}

/**
 * Puts the concrete destination name back on a span started from a
 * templated {@link destinationInfo} (the shared layer names spans and metrics
 * after `info.destination`, which is the template there).
 */
export function setConcreteDestination(span: Span, destination: string, template: string | undefined): void {
  if (template !== undefined && template !== destination) {
    guarded('destination name', () => span.setAttribute(ATTR_MESSAGING_DESTINATION_NAME, destination));
  }
}
