export * from './store';
export * from './selectors';
export { loadSavedAuth } from './session';
export { isRole } from './roles';
export { sayOf } from './texts';
export { markBoot, type BootStep } from './boot';
