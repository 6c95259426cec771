/**
 * The table tests every hand-checked list shares (devices, sites, spaces): what the hand check is
 * sure of comes back as the very objects received, and whatever it is unsure of gets the schema's
 * own verdict. Imported by the `*.test.ts` files beside it only.
 */
import { expect, it } from 'vitest';
import type { z } from 'zod';
import { checkAnswer } from './shared';

export interface HandCheckedList {
  /** The hand check of one element. */
  surely: (x: unknown) => boolean;
  /** The contract's schema of the whole list, and the app's list check built on the hand check. */
  schema: z.ZodType;
  answerSchema: z.ZodType;
  /** Elements the hand check must be sure of, and elements the schema rejects, by what is wrong. */
  good: [string, unknown][];
  bad: [string, unknown][];
  /** Sound elements put before a bad one in its list. */
  before: unknown[];
  /** Answers that are not a list at all. */
  notLists: unknown[];
}

export function handCheckedListCases(c: HandCheckedList): void {
  it.each(c.good)('hands %s back as it is, as the schema would accept it', (_w, element) => {
    expect(c.surely(element)).toBe(true);
    expect(checkAnswer(c.schema, [element])).toMatchObject({ ok: true });
    const list = [element];
    const checked = checkAnswer(c.answerSchema, list);
    expect(checked).toEqual({ ok: true, value: list });
    // Not a copy: a city's 25,000 elements are not rebuilt one by one.
    expect(checked.ok && (checked.value as unknown[])[0]).toBe(element);
  });

  it.each(c.bad)('leaves %s to the schema, which rejects it with the same reason', (_w, element) => {
    expect(c.surely(element)).toBe(false);
    const answer = [...c.before, element];
    const schema = checkAnswer(c.schema, answer);
    expect(schema.ok).toBe(false);
    expect(checkAnswer(c.answerSchema, answer)).toEqual(schema);
  });

  it('rejects an answer that is not a list, as the schema does', () => {
    for (const answer of c.notLists) {
      const schema = checkAnswer(c.schema, answer);
      expect(schema.ok).toBe(false);
      expect(checkAnswer(c.answerSchema, answer)).toEqual(schema);
    }
  });
}
