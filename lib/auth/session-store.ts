import { createHash, randomBytes } from 'node:crypto';
import type { Grant } from '@/lib/model/access';
import type { Row, SerialConnection } from '@/lib/store/serial-connection';
import { stringOrNull } from '@/lib/store/serial-connection';

/*
 * Signed-in sessions and sign-ins in progress, kept on the server. The browser
 * holds only a random id; the table keys on its SHA-256, so a copy of the
 * database file cannot be replayed as a cookie. The IdP's refresh token stays
 * here too: it is what lets each check ask the IdP whether the person is
 * still signed in there.
 */

const TABLES = [
  `CREATE TABLE IF NOT EXISTS auth_sessions (
    id_hash VARCHAR PRIMARY KEY, subject VARCHAR NOT NULL, name VARCHAR NOT NULL, idp VARCHAR NOT NULL,
    grants VARCHAR NOT NULL, refresh_token VARCHAR, id_token VARCHAR,
    created_at_ms BIGINT NOT NULL, expires_at_ms BIGINT NOT NULL, checked_at_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS auth_sign_ins (
    state VARCHAR PRIMARY KEY, code_verifier VARCHAR NOT NULL, nonce VARCHAR NOT NULL,
    return_to VARCHAR NOT NULL, created_at_ms BIGINT NOT NULL)`,
];

export interface Session {
  idHash: string;
  subject: string;
  name: string;
  idp: string;
  grants: Grant[];
  refreshToken: string | null;
  idToken: string | null;
  createdAtMs: number;
  expiresAtMs: number;
  checkedAtMs: number;
}

export interface PendingSignIn {
  state: string;
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  createdAtMs: number;
}

/** A sign-in must finish within this long of starting it. */
export const SIGN_IN_TTL_MS = 10 * 60_000;

export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

export const newSessionId = () => randomBytes(32).toString('base64url');

function toSession(r: Row): Session {
  return {
    idHash: String(r.id_hash),
    subject: String(r.subject),
    name: String(r.name),
    idp: String(r.idp),
    grants: JSON.parse(String(r.grants)) as Grant[],
    refreshToken: stringOrNull(r.refresh_token),
    idToken: stringOrNull(r.id_token),
    createdAtMs: Number(r.created_at_ms),
    expiresAtMs: Number(r.expires_at_ms),
    checkedAtMs: Number(r.checked_at_ms),
  };
}

export class SessionStore {
  private constructor(private readonly db: SerialConnection) {}

  static async create(db: SerialConnection): Promise<SessionStore> {
    for (const sql of TABLES) await db.run(sql);
    return new SessionStore(db);
  }

  async put(s: Session): Promise<void> {
    await this.db.run(
      `INSERT OR REPLACE INTO auth_sessions VALUES ($id, $subject, $name, $idp, $grants, $refresh, $idToken,
         $created, $expires, $checked)`,
      {
        id: s.idHash,
        subject: s.subject,
        name: s.name,
        idp: s.idp,
        grants: JSON.stringify(s.grants),
        refresh: s.refreshToken,
        idToken: s.idToken,
        created: BigInt(s.createdAtMs),
        expires: BigInt(s.expiresAtMs),
        checked: BigInt(s.checkedAtMs),
      },
    );
  }

  async get(idHash: string): Promise<Session | null> {
    const [row] = await this.db.rows('SELECT * FROM auth_sessions WHERE id_hash = $id', { id: idHash });
    return row ? toSession(row) : null;
  }

  async remove(idHash: string): Promise<void> {
    await this.db.run('DELETE FROM auth_sessions WHERE id_hash = $id', { id: idHash });
  }

  async startSignIn(p: PendingSignIn): Promise<void> {
    await this.db.run('DELETE FROM auth_sign_ins WHERE created_at_ms < $stale', {
      stale: BigInt(p.createdAtMs - SIGN_IN_TTL_MS),
    });
    await this.db.run('INSERT INTO auth_sign_ins VALUES ($state, $verifier, $nonce, $returnTo, $created)', {
      state: p.state,
      verifier: p.codeVerifier,
      nonce: p.nonce,
      returnTo: p.returnTo,
      created: BigInt(p.createdAtMs),
    });
  }

  /** The sign-in for this state, once: it is removed as it is read, so a callback cannot be replayed. */
  async takeSignIn(state: string, nowMs: number): Promise<PendingSignIn | null> {
    const [row] = await this.db.rows('DELETE FROM auth_sign_ins WHERE state = $state RETURNING *', { state });
    if (!row || Number(row.created_at_ms) < nowMs - SIGN_IN_TTL_MS) return null;
    return {
      state: String(row.state),
      codeVerifier: String(row.code_verifier),
      nonce: String(row.nonce),
      returnTo: String(row.return_to),
      createdAtMs: Number(row.created_at_ms),
    };
  }

  /** Drops expired sessions; called now and then so the table does not grow without end. */
  async prune(nowMs: number): Promise<void> {
    await this.db.run('DELETE FROM auth_sessions WHERE expires_at_ms < $now', { now: BigInt(nowMs) });
  }
}
