import { BadRequestError } from './errors';

/** Reads one query parameter, bounded in length; null when absent or blank. */
export function param(params: URLSearchParams, name: string, maxLength = 512): string | null {
  const value = params.get(name);
  if (value === null || value.trim() === '') return null;
  if (value.length > maxLength) throw new BadRequestError(`${name} is longer than ${maxLength} characters`);
  return value.trim();
}

/** An integer query parameter within [min, max], `fallback` when absent; a 400 naming it otherwise. */
export function intParam(
  params: URLSearchParams,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  const raw = param(params, name, 32);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}
