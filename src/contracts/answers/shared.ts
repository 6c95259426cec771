/**
 * Small schemas the HTTP answers share: quantities and their values, limits, severities. Answers are
 * checked in the browser as the MQTT payloads are, so a service that sends something else shows an
 * error instead of breaking a panel.
 */
import { z } from 'zod';
import { SEVERITIES } from '../alarm';
import { QUANTITIES, type Quantity } from '../quantities';

export const quantitySchema = z.enum(Object.keys(QUANTITIES) as [Quantity, ...Quantity[]]);

/** Readings of one message: quantity name → value (the contract's `Values`). */
export const valuesSchema = z.partialRecord(quantitySchema, z.number());

export const severitySchema = z.enum(SEVERITIES);

export const gasLevelSchema = z.enum(['upper', 'middle', 'lower']);

export const riskLevelSchema = z.enum(['red', 'orange', 'yellow', 'blue']);

/** Per-quantity limits as the registry and the park summary carry them. */
export const limitsSchema = z.partialRecord(
  quantitySchema,
  z.object({ high: z.number().optional(), highHigh: z.number().optional(), low: z.number().optional(), lowLow: z.number().optional() }),
);

/** `[lonDeg, latDeg]` */
export const lonLatSchema = z.tuple([z.number(), z.number()]);

/** Epoch milliseconds. */
export const epochMs = z.number();

/**
 * Checks an answer against its schema: the value as the schema types it, or a short reason (the
 * first issue's path and message), for the error a panel shows.
 */
export function checkAnswer<T>(schema: z.ZodType<T>, json: unknown): { ok: true; value: T } | { ok: false; reason: string } {
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, reason: `${where}${issue?.message ?? 'unexpected answer'}` };
}
