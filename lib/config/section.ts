import type { z } from 'zod';
import type { MergedSource } from './source';

/**
 * One part of the configuration: the keys it reads (a zod object over the flat
 * SIGNALBOX_* key space) and how the validated values become settings. Keeping
 * the two apart lets loadConfig validate every section before building any, so
 * one start-up message lists every bad key at once.
 */
export interface Section<Schema extends z.ZodObject, Settings> {
  schema: Schema;
  build(raw: z.infer<Schema>, source: MergedSource): Settings;
}

export const section = <Schema extends z.ZodObject, Settings>(
  schema: Schema,
  build: (raw: z.infer<Schema>, source: MergedSource) => Settings,
): Section<Schema, Settings> => ({ schema, build });
