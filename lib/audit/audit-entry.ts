/*
 * The audit log: every change an operator or an automation makes (replays,
 * deletes, purges, cancels, API tokens), with who made it as the server
 * verified them. Rows are chained by hash (hash-chain.ts), so an edit or a
 * removed row shows when the chain is verified.
 */

/** Who made a change, as authenticated, never as typed. */
export interface Actor {
  /** Shown in the UI: the person's name, "token <name>", or "signalbox" for the process itself. */
  name: string;
  /** The IdP's subject (`sub`) for a person; null otherwise. */
  subject: string | null;
  /** The identity provider (issuer host) for a person, `api-token`, `operator-token` or `signalbox`. */
  idp: string | null;
  /** The API token's id when automation made the change. */
  tokenId: string | null;
}

export const SIGNALBOX_ACTOR: Actor = { name: 'signalbox', subject: null, idp: 'signalbox', tokenId: null };

export type AuditAction =
  | 'replay'
  | 'replay-edited'
  | 'delete'
  | 'purge'
  | 'resume'
  | 'cancel'
  | 'token-create'
  | 'token-revoke'
  | 'backup'
  | 'alert-silence'
  | 'alert-unsilence'
  | 'alert-acknowledge'
  | 'alert-rule-add'
  | 'alert-rule-remove';

export interface AuditEntry {
  atMs: number;
  actor: Actor;
  action: AuditAction;
  /** The dead-letter queue acted on; empty for changes that concern no queue (tokens, backups, alerts). */
  queueId: string;
  jobId: string | null;
  detail: Record<string, unknown>;
}

/** An entry as stored: its place in the chain and the hashes that link it. */
export interface ChainedAuditEntry extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** What verifying the chain found. `brokenAt` is the first row whose hash or link does not hold. */
export interface ChainCheck {
  ok: boolean;
  rows: number;
  /** The last row's hash: note it down to detect a later truncation of the tail. */
  headHash: string;
  brokenAt: { seq: number; reason: string } | null;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<ChainedAuditEntry>;
  /** Newest first. */
  list(limit: number, queueId?: string): Promise<ChainedAuditEntry[]>;
  /** Oldest first, every row: the JSON-lines export. */
  all(): AsyncIterable<ChainedAuditEntry>;
  verify(): Promise<ChainCheck>;
}
