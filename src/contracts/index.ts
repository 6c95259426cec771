export * from './scenes';
export * from './quantities';
export * from './topics';
export * from './payloads';
export * from './alarm';
export * from './registry';
export * from './api';
export * from './park';
