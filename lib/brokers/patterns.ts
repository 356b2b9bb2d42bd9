import type { BrokerSystem } from './lag-types';

/**
 * Include/exclude patterns (SIGNALBOX_LAG_INCLUDE, SIGNALBOX_LAG_EXCLUDE): comma-separated globs where
 * `*` matches any run of characters and `?` one character. A pattern matches a group when it matches
 * the group's name or its destination's; `system:` in front (e.g. `kafka:orders-*`) limits it to one
 * broker. With no include pattern everything is included; an exclude always wins.
 */
export interface NameFilter {
  include: readonly string[];
  exclude: readonly string[];
}

const SYSTEMS = new Set<string>(['kafka', 'rabbitmq', 'nats', 'redis', 'aws_sqs', 'bullmq']);

/** Built-in excludes: broker-internal names nobody consumes as an application. */
export const DEFAULT_EXCLUDES = ['kafka:__*', 'rabbitmq:amq.*'];

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

interface CompiledPattern {
  system: string | null;
  regexp: RegExp;
}

function compile(pattern: string): CompiledPattern {
  const colon = pattern.indexOf(':');
  const prefix = colon > 0 ? pattern.slice(0, colon) : '';
  if (SYSTEMS.has(prefix)) return { system: prefix, regexp: globToRegExp(pattern.slice(colon + 1)) };
  return { system: null, regexp: globToRegExp(pattern) };
}

/** A predicate deciding whether a group/destination on a system is polled. */
export function compileFilter(filter: NameFilter): (system: BrokerSystem, ...names: string[]) => boolean {
  const include = filter.include.map(compile);
  const exclude = [...DEFAULT_EXCLUDES, ...filter.exclude].map(compile);
  const matches = (p: CompiledPattern, system: string, names: string[]) =>
    (p.system === null || p.system === system) && names.some((name) => p.regexp.test(name));
  return (system, ...names) =>
    (include.length === 0 || include.some((p) => matches(p, system, names))) &&
    !exclude.some((p) => matches(p, system, names));
}
