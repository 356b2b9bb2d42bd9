import { describe, expect, it } from 'vitest';
import { checkBearer } from './auth';
import { IngestError } from './errors';

describe('checkBearer', () => {
  const token = 'the-ingest-token-0123456789';
  it('lets everything through when no token is configured', () => {
    expect(() => checkBearer(null, null)).not.toThrow();
  });
  it('accepts the exact token and refuses anything else with 401', () => {
    expect(() => checkBearer(`Bearer ${token}`, token)).not.toThrow();
    expect(() => checkBearer(`bearer   ${token}`, token)).not.toThrow();
    for (const header of [null, '', 'Bearer', `Bearer ${token}x`, token, `Basic ${token}`]) {
      expect(() => checkBearer(header, token)).toThrow(IngestError);
    }
  });
});
