/** The shape of the sentence tables: one function per code and language. */
import type { AlarmDetail, DetailParams } from '../../contracts';
import type { Say, TextLang } from './say';

/** Renders a nested detail (a reason inside an evacuate alarm) in the same language. */
export type Nested = (d: DetailLike | null | undefined) => string;

/** A detail, or a reason of the entry rules (the same shape with typed, possibly optional parameters). */
export type DetailLike = AlarmDetail | { code: string; params: object };

/** The sentence of one code in each language. */
export type Sentence<P> = Record<TextLang, (p: P, say: Say, nested: Nested) => string>;

/** Sentences for some of the codes. */
export type SentenceTable<C extends keyof DetailParams> = { [K in C]: Sentence<DetailParams[K]> };
