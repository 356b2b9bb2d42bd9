/*
 * SQS sets the `AWSTraceHeader` system attribute when the producer was traced
 * with AWS X-Ray (or sent through an AWS service that propagates it):
 * `Root=1-<8 hex epoch>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>`, fields in any
 * order, possibly with others (`Lineage=…`).
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 * An X-Ray trace id is a W3C trace id with separators, so the header converts
 * to a traceparent losslessly; reading it lets a consumer keep the producer's
 * trace when the producer did not use our attributes.
 */

const MAX_LENGTH = 256;
const ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;
const PARENT = /^[0-9a-f]{16}$/;

/** The W3C traceparent equivalent of an X-Ray trace header, or undefined when it is not one. */
export function traceparentFromAwsTraceHeader(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return undefined;
  let root: RegExpExecArray | null = null;
  let parent: string | undefined;
  let sampled = false;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const field = part.slice(eq + 1).trim();
    if (key === 'Root') root = ROOT.exec(field);
    else if (key === 'Parent' && PARENT.test(field)) parent = field;
    else if (key === 'Sampled') sampled = field === '1';
  }
  if (!root || parent === undefined) return undefined;
  const traceId = `${root[1]}${root[2]}`;
  // All-zero ids are invalid in W3C; leave them to the propagator to reject.
  return `00-${traceId}-${parent}-${sampled ? '01' : '00'}`;
}
