/**
 * Operator-facing wording shared by the service and the app: alarm details rendered in Chinese or
 * English with names for ids, quantity labels, values with units and local 24-hour times. Imports
 * only the contracts, so both sides (and the service's `messageZh`, CSV and search) say the same.
 */
export * from './say';
export * from './render';
export type { Nested, Sentence } from './sentence';
