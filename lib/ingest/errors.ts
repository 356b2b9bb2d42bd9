/** An ingest failure the client can act on, with the HTTP status to answer. */
export class IngestError extends Error {
  override name = 'IngestError';
  constructor(
    readonly status: 400 | 401 | 413 | 415 | 429 | 503,
    message: string,
  ) {
    super(message);
  }
}
