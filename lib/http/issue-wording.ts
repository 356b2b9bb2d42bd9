import type { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

function tooBig(issue: Extract<Issue, { code: 'too_big' }>): string | undefined {
  const max = String(issue.maximum);
  if (issue.origin === 'string') return `must be at most ${max} characters`;
  if (issue.origin === 'array') return `must have at most ${max} items`;
  if (issue.origin === 'number')
    return issue.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
  return undefined;
}

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string | undefined {
  const min = String(issue.minimum);
  if (issue.origin === 'string')
    return min === '1' ? 'must not be empty' : `must be at least ${min} characters`;
  if (issue.origin === 'array') return min === '1' ? 'must not be empty' : `must have at least ${min} items`;
  if (issue.origin === 'number')
    return issue.inclusive ? `must be at least ${min}` : `must be more than ${min}`;
  return undefined;
}

/**
 * Zod's default messages ("Too big: expected string to have <=512 characters") do not follow a
 * parameter's name; these do, so `${name} ${message}` reads as a sentence: "q must be at most 512
 * characters". A schema's own message wins over these; undefined falls back to Zod's.
 */
export function issueWording(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_big':
      return tooBig(issue);
    case 'too_small':
      return tooSmall(issue);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'datetime'
        ? 'must be an ISO-8601 time with a UTC offset, like 2026-01-31T09:00:00Z'
        : `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has unknown fields: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}
