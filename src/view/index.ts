/**
 * The view layer: colours, ranking rules and view models shared by the Cesium, deck.gl and three.js
 * adapters and the React panels. Pure functions of contract and domain values (no engine, no DOM).
 */
export * from './palette';
export * from './health';
export * from './confined';
export * from './park';
export * from './roads';
export * from './clusters';
export * from './linkTally';
