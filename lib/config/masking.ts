import { z } from 'zod';
import { type MaskingRules, isNameGlob, parseJsonPath, parsePattern, splitPatternList } from '@/lib/masking';
import { bool, list } from './fields';
import { section } from './section';

/**
 * Masking (lib/masking): what every view, API and the DLQ archive hide. A rule that would not
 * compile stops start-up here, with its key, rather than at the first message shown.
 */
export type MaskingConfig = MaskingRules;

const patternProblem = (item: string): string | null => {
  try {
    parsePattern(item);
    return null;
  } catch (error) {
    return `${item}: ${(error as Error).message}`;
  }
};

export const maskingSection = section(
  z.object({
    SIGNALBOX_MASK_DEFAULTS: bool.default(true),
    SIGNALBOX_MASK_JSON_PATHS: list.default([]).check((ctx) => {
      const bad = ctx.value.filter((p) => parseJsonPath(p) === null);
      if (bad.length > 0)
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `${bad.join(', ')}: expected JSON paths like $.card.number, $.items.*.iban or $..password`,
        });
    }),
    SIGNALBOX_MASK_HEADERS: list.default([]).refine((globs) => globs.every(isNameGlob), {
      message: 'expected header names or globs like authorization,*token*,x-api-key',
    }),
    SIGNALBOX_MASK_PATTERNS: z
      .string()
      .default('')
      .transform(splitPatternList)
      .check((ctx) => {
        const problems = ctx.value.map(patternProblem).filter((p) => p !== null);
        if (problems.length > 0)
          ctx.issues.push({
            code: 'custom',
            input: ctx.value,
            message: `not a regular expression: ${problems.join('; ')}`,
          });
      }),
  }),
  (m): MaskingConfig => ({
    defaults: m.SIGNALBOX_MASK_DEFAULTS,
    jsonPaths: m.SIGNALBOX_MASK_JSON_PATHS,
    headers: m.SIGNALBOX_MASK_HEADERS,
    patterns: m.SIGNALBOX_MASK_PATTERNS,
  }),
);
