import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Grant } from '@/lib/model/access';
import type { Row, SerialConnection } from '@/lib/store/serial-connection';
import { numberOrNull, stringOrNull } from '@/lib/store/serial-connection';
import { AccessError } from './access-error';

/*
 * API tokens for automation (a CI job replaying, a script reading lag). An
 * admin creates one with a role, optional limits and an expiry; the secret is
 * shown once and only its SHA-256 is kept (the secret is 256 random bits, so
 * a fast hash is enough: there is nothing to guess). Tokens are revoked, never
 * deleted, so the audit log's token ids always resolve.
 *
 * The token reads `sbx_<id>_<secret>`: the id finds the row without scanning,
 * and the prefix lets secret scanners recognise a leaked token.
 */

const TABLE = `CREATE TABLE IF NOT EXISTS auth_api_tokens (
  id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, secret_sha256 VARCHAR NOT NULL, grant_json VARCHAR NOT NULL,
  created_by VARCHAR NOT NULL, created_at_ms BIGINT NOT NULL, expires_at_ms BIGINT NOT NULL,
  revoked_at_ms BIGINT, revoked_by VARCHAR, last_used_at_ms BIGINT)`;

const TOKEN = /^sbx_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** What the admin page and API show of a token: never its secret. */
export interface ApiToken {
  id: string;
  name: string;
  grant: Grant;
  createdBy: string;
  createdAtMs: number;
  expiresAtMs: number;
  revokedAtMs: number | null;
  revokedBy: string | null;
  lastUsedAtMs: number | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

function toToken(r: Row): ApiToken {
  return {
    id: String(r.id),
    name: String(r.name),
    grant: JSON.parse(String(r.grant_json)) as Grant,
    createdBy: String(r.created_by),
    createdAtMs: Number(r.created_at_ms),
    expiresAtMs: Number(r.expires_at_ms),
    revokedAtMs: numberOrNull(r.revoked_at_ms),
    revokedBy: stringOrNull(r.revoked_by),
    lastUsedAtMs: numberOrNull(r.last_used_at_ms),
  };
}

/** Whether a string is meant as one of our API tokens (so a wrong one gets a precise answer). */
export const looksLikeApiToken = (text: string) => text.startsWith('sbx_');

export class ApiTokenStore {
  private constructor(private readonly db: SerialConnection) {}

  static async create(db: SerialConnection): Promise<ApiTokenStore> {
    await db.run(TABLE);
    return new ApiTokenStore(db);
  }

  /** Creates a token; the returned `secret` is the only time the whole token exists outside the caller. */
  async issue(options: {
    name: string;
    grant: Grant;
    createdBy: string;
    expiresAtMs: number;
    nowMs: number;
  }): Promise<{ token: ApiToken; secret: string }> {
    const id = randomBytes(8).toString('hex');
    const secretPart = randomBytes(32).toString('base64url');
    await this.db.run(
      `INSERT INTO auth_api_tokens VALUES ($id, $name, $hash, $grant, $by, $created, $expires, NULL, NULL, NULL)`,
      {
        id,
        name: options.name,
        hash: sha256(secretPart).toString('hex'),
        grant: JSON.stringify(options.grant),
        by: options.createdBy,
        created: BigInt(options.nowMs),
        expires: BigInt(options.expiresAtMs),
      },
    );
    const token = await this.get(id);
    return { token: token!, secret: `sbx_${id}_${secretPart}` };
  }

  async get(id: string): Promise<ApiToken | null> {
    const [row] = await this.db.rows('SELECT * FROM auth_api_tokens WHERE id = $id', { id });
    return row ? toToken(row) : null;
  }

  async list(): Promise<ApiToken[]> {
    return (await this.db.rows('SELECT * FROM auth_api_tokens ORDER BY created_at_ms DESC')).map(toToken);
  }

  /** Revokes; answers the token as it now is, or null when there is no such token. */
  async revoke(id: string, by: string, nowMs: number): Promise<ApiToken | null> {
    await this.db.run(
      `UPDATE auth_api_tokens SET revoked_at_ms = $now, revoked_by = $by
        WHERE id = $id AND revoked_at_ms IS NULL`,
      { id, by, now: BigInt(nowMs) },
    );
    return this.get(id);
  }

  /**
   * The token a presented secret belongs to, when it is valid now. Every other
   * case is a 401 that says which (unknown, revoked, expired), so whoever runs
   * the automation knows whether to fix a typo or ask for a new token.
   */
  async verify(presented: string, nowMs: number): Promise<ApiToken> {
    const match = TOKEN.exec(presented);
    if (!match) throw new AccessError('the API token is malformed (expected sbx_<id>_<secret>)', 401);
    const [, id, secretPart] = match as unknown as [string, string, string];
    const [row] = await this.db.rows('SELECT * FROM auth_api_tokens WHERE id = $id', { id });
    const stored = row ? Buffer.from(String(row.secret_sha256), 'hex') : randomBytes(32);
    // Compare even when the id is unknown, so timing does not tell which ids exist.
    const same = timingSafeEqual(sha256(secretPart), stored);
    if (!row || !same) throw new AccessError('the API token is not valid', 401);
    const token = toToken(row);
    if (token.revokedAtMs !== null)
      throw new AccessError(`API token ${token.id} (${token.name}) was revoked by ${token.revokedBy}`, 401);
    if (token.expiresAtMs <= nowMs)
      throw new AccessError(
        `API token ${token.id} (${token.name}) expired at ${new Date(token.expiresAtMs).toISOString()}`,
        401,
      );
    // Last use helps an admin find unused tokens; a minute's precision is enough and spares a write per call.
    if (token.lastUsedAtMs === null || nowMs - token.lastUsedAtMs > 60_000) {
      await this.db.run('UPDATE auth_api_tokens SET last_used_at_ms = $now WHERE id = $id', {
        id,
        now: BigInt(nowMs),
      });
    }
    return token;
  }
}
