import type { HeaderLookup } from '../header-lookup.js';
import type { DeadLetterDialect, DeadLetterReplay, DeadLetterSource } from '../model.js';

/** What every dialect reader gets: the message, already normalised. */
export interface DialectInput {
  /** Headers plus SQS message and system attributes, case-insensitive. */
  headers: HeaderLookup;
  /** `messaging.system` of the dead-letter queue (normalised). */
  system: string | null;
  /** The dead-letter queue's name. */
  destination: string | null;
  /** A BullMQ job (instance or JSON), when given. */
  job: Record<string, unknown> | null;
  /** A JetStream advisory payload, when given. */
  advisory: Record<string, unknown> | null;
}

/** The part of the model one dialect could read; absent or null means "does not say". */
export interface DialectReading {
  reason?: string | null;
  errorType?: string | null;
  errorMessage?: string | null;
  stackTrace?: string | null;
  source?: Partial<DeadLetterSource>;
  attempts?: number | null;
  firstFailedAt?: string | null;
  lastFailedAt?: string | null;
  traceparent?: string | null;
  replay?: DeadLetterReplay | null;
  details?: Record<string, string | null>;
}

/** Reads one dialect; null when the message carries none of it. Must never throw. */
export interface DialectReader {
  dialect: DeadLetterDialect;
  read(input: DialectInput): DialectReading | null;
}
