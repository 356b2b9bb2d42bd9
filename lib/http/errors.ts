/*
 * The errors a request can end in, one class per HTTP status. Domain errors
 * extend them (TimeRangeError is a BadRequestError, DlqNotFoundError a
 * NotFoundError, …), so one mapping (respond.ts) turns any of them into the
 * right response, and a domain module says what went wrong without knowing HTTP.
 */

export abstract class HttpError extends Error {
  abstract readonly status: number;
  /** Headers the answer carries besides the body (a 401's WWW-Authenticate, say). */
  readonly headers?: Record<string, string>;
}

/** The request cannot be answered as asked: a bad parameter or body (400). */
export class BadRequestError extends HttpError {
  override name = 'BadRequestError';
  readonly status = 400;
}

/** Nothing by that id or name (404). */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  readonly status = 404;
}

/** The request conflicts with the state of what it acts on (409). */
export class ConflictError extends HttpError {
  override name = 'ConflictError';
  readonly status = 409;
}

/** Too much at once; the client should retry after `retryAfterSeconds` (429 with Retry-After). */
export class TooManyRequestsError extends HttpError {
  override name = 'TooManyRequestsError';
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A broker answered with an error the user can act on; its message names what (502). */
export class BadGatewayError extends HttpError {
  override name = 'BadGatewayError';
  readonly status = 502;
}

/** A setting the feature needs is missing or wrong; the message names the key (503). */
export class UnavailableError extends HttpError {
  override name = 'UnavailableError';
  readonly status = 503;
}
