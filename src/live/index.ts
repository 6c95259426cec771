export { connectLive, defaultBrokerUrl, RECONNECT_MS, OFFLINE_AFTER_MS, type LiveConnection, type LiveOptions } from './connect';
export { LiveBuffer } from './buffer';
export { createFrameLoop, HIDDEN_FALLBACK_MS, type FrameLoop } from './frame';
export * as api from './api';
export { ApiError } from './api';
export { startSession } from './session';
export { reloadRegistry } from './registry';
