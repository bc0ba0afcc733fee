/**
 * Small zod schemas shared by the framing, layout and point schemas: bytes written as hex or byte
 * numbers, text with escapes, regular expressions and their flags. Each checks its input and
 * reports the problem in words; outputs stay plain data.
 */
import * as z from 'zod';
import { parseHex, unescape } from './bytes.js';
import { regexProblem } from './regex.js';

/** Bytes written as hex (`"02"`, `"0d 0a"`) or as an array of byte numbers; output: an array of numbers. */
export const bytesSchema = z.unknown().transform((input, ctx): number[] => {
  if (typeof input === 'string') {
    const bytes = parseHex(input);
    if (bytes) return Array.from(bytes);
    ctx.addIssue({ code: 'custom', message: `expected hex bytes like "02" or "0d 0a", got ${JSON.stringify(input)}` });
    return z.NEVER;
  }
  if (Array.isArray(input) && input.length > 0 && input.every((b) => Number.isInteger(b) && b >= 0 && b <= 255))
    return input as number[];
  ctx.addIssue({
    code: 'custom',
    message: 'expected hex bytes like "02" or "0d 0a", or an array of byte numbers (0-255)',
  });
  return z.NEVER;
});

/** Text with escapes (`\r`, `\n`, `\xHH`...), checked. */
export const escapedText = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const result = unescape(text);
    if ('error' in result) ctx.addIssue({ code: 'custom', message: result.error });
  });

/** A regular expression source, compiled to check it. */
export const regexSource = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const problem = regexProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Regular expression flags, from `imsu`. */
export const regexFlags = z
  .string()
  .regex(/^[imsu]*$/, 'flags: only i, m, s, u')
  .optional();
