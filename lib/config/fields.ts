import { z } from 'zod';

/*
 * The value shapes the settings share, each with the message a person reads
 * when a value does not fit.
 */

export const list = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((s) => s === 'true' || s === '1' || s === 'yes');

export const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const url = (protocols: string[]) =>
  z.string().refine(
    (s) => {
      try {
        return protocols.includes(new URL(s).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { error: `expected a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}` },
  );

/** A shared secret: empty means "not set"; a set one must be long enough to resist guessing. */
export const secret = (whenEmpty: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? null : value.trim()))
    .refine((value) => value === null || value.length >= 16, {
      message: `use at least 16 characters (e.g. \`openssl rand -hex 24\`), or leave it empty ${whenEmpty}`,
    });

/** Keys whose values are never printed, not even in an error about them. */
export const isSecretKey = (key: string) => /PASSWORD|TOKEN|SECRET/.test(key);
