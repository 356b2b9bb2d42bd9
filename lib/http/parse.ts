import { type z } from 'zod';
import { BadRequestError } from './errors';
import { issueWording } from './issue-wording';

/** Longest bad value quoted back in an error message. */
const QUOTE_LIMIT = 100;

/** A value worth quoting after "not": scalars only (an object or list would drown the message). */
function quoted(value: unknown): string | null {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return null;
  const text = JSON.stringify(value);
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…"` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[key];
  return value;
}

/** "limit must be a whole number from 1 to 10000, not "0"": the parameter, what is expected, what came. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown, whole: string): string {
  // A check across parameters ("give exactly one of …") is already a sentence.
  if (issue.path.length === 0 && issue.code === 'custom') return issue.message;
  const name = issue.path.length === 0 ? whole : issue.path.map(String).join('.');
  const value = issue.code === 'unrecognized_keys' ? undefined : valueAt(input, issue.path);
  const bad = value === undefined ? null : quoted(value);
  return bad === null ? `${name} ${issue.message}` : `${name} ${issue.message}, not ${bad}`;
}

/** `input` as `schema` says, or a BadRequestError naming every bad parameter. */
function parseInput<S extends z.ZodType>(input: unknown, schema: S, whole: string): z.output<S> {
  const result = schema.safeParse(input, { error: issueWording });
  if (result.success) return result.data;
  throw new BadRequestError(result.error.issues.map((i) => describeIssue(i, input, whole)).join('; '));
}

/**
 * Query parameters as `schema` says. A blank parameter counts as absent (as a form leaves it), a
 * repeated one is read once (its first value), and parameters the schema does not name are ignored.
 */
export function parseSearchParams<S extends z.ZodType>(params: URLSearchParams, schema: S): z.output<S> {
  const query = new Map<string, string>();
  for (const [name, value] of params) {
    if (!query.has(name) && value.trim() !== '') query.set(name, value);
  }
  return parseInput(Object.fromEntries(query), schema, 'the query');
}

/** A request's query parameters as `schema` says; see parseSearchParams. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return parseSearchParams(new URL(request.url).searchParams, schema);
}

/** A request's JSON body as `schema` says, or a BadRequestError saying what is wrong with it. */
export async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new BadRequestError('the body must be JSON');
  }
  return parseInput(body, schema, 'the body');
}
